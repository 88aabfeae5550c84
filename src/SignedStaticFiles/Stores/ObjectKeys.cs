namespace SignedStaticFiles.Stores;

/// <summary>
/// The rules the object-store packages share: how a configured prefix names a folder of a bucket or container,
/// how a folder-relative path becomes an object key, and which byte window a read may ask for.
/// </summary>
internal static class ObjectKeys
{
    /// <summary>
    /// A prefix names a folder of the bucket or container: no leading slash, one trailing slash (<c>"kyc"</c>,
    /// <c>"/kyc/"</c> → <c>"kyc/"</c>); null or empty for the whole bucket or container.
    /// </summary>
    public static string NormalizePrefix(string? prefix)
    {
        var trimmed = (prefix ?? string.Empty).Trim('/');
        return trimmed.Length == 0 ? string.Empty : trimmed + "/";
    }

    /// <summary>The object key of a folder-relative path (already checked by the package's path rules) under <paramref name="prefix"/>.</summary>
    public static string KeyOf(string prefix, string path) => prefix + path.TrimStart('/');

    /// <summary>
    /// How many bytes <see cref="ISignedFileStore.OpenReadAsync"/> reads: <paramref name="length"/>, or the rest of
    /// the file from <paramref name="offset"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The window is negative or ends past the file.</exception>
    public static long ReadCount(SignedFileInfo file, long offset, long? length)
    {
        ArgumentNullException.ThrowIfNull(file);
        var count = length ?? file.Length - offset;
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + count, file.Length, nameof(length));
        return count;
    }
}
