namespace SignedStaticFiles.Stores;

/// <summary>One file of an <see cref="ISignedFileStore"/>: its size and the version the validators derive from.</summary>
public sealed class SignedFileInfo
{
    /// <summary>The folder-relative, unencoded path (starts with <c>/</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The size in bytes (0 or more).</summary>
    public required long Length { get; init; }

    /// <summary>When the file was last written (UTC).</summary>
    public required DateTimeOffset LastModified { get; init; }

    /// <summary>
    /// The store's own version of the object (an S3 or Azure ETag, without quotes), or <see langword="null"/>
    /// when the store has none (the local folder: length and time identify the version). The served
    /// <c>ETag</c> derives from it, so an overwrite of the same size within the same second still changes it.
    /// </summary>
    public string? Version { get; init; }

    /// <summary>Anything the store wants back in <see cref="ISignedFileStore.OpenReadAsync"/> (a blob client, a file handle). Not used by the middleware.</summary>
    public object? State { get; init; }
}
