namespace SignedStaticFiles.Stores;

/// <summary>
/// Where the files of one protected folder live: the local folder (the default), or an object store such
/// as an S3-compatible bucket (<c>ServeFromS3</c>) or an Azure Blob container (<c>ServeFromAzureBlobs</c>).
/// A store is registered per folder as a keyed service whose key is the folder's name
/// (<see cref="ISignedStaticFilesBuilder.Name"/>).
/// </summary>
/// <remarks>
/// <para>
/// Paths handed to a store have already passed the package's path rules (no empty, <c>.</c>, <c>..</c> or
/// dot-file segment, no backslash, no control character): they start with <c>/</c> and are relative to the
/// folder's root, unencoded.
/// </para>
/// <para>
/// Fail closed: a store that cannot answer throws (any exception but a cancellation of the request). The
/// middleware answers 503 with <c>Retry-After</c> and logs the outage once; it never falls back to other
/// bytes. Implementations must be thread-safe and asynchronous end to end.
/// </para>
/// </remarks>
public interface ISignedFileStore
{
    /// <summary>
    /// What identifies this store's files, part of the folder's default link scope (for example
    /// <c>s3:bucket/prefix</c>): a link minted for a folder over one store never opens another store's folder.
    /// </summary>
    string Scope { get; }

    /// <summary>Looks a file up.</summary>
    /// <param name="path">The folder-relative, unencoded path, starting with <c>/</c>.</param>
    /// <param name="cancellationToken">Cancelled when the request is aborted.</param>
    /// <returns>The file, or <see langword="null"/> when there is no file at <paramref name="path"/> (missing, or a directory/prefix).</returns>
    ValueTask<SignedFileInfo?> GetFileAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Opens <paramref name="length"/> bytes of <paramref name="file"/> from <paramref name="offset"/>, fetching
    /// only those bytes from the store, and only while the stored object is still the version
    /// <paramref name="file"/> describes.
    /// </summary>
    /// <param name="file">A file returned by <see cref="GetFileAsync"/>.</param>
    /// <param name="offset">The first byte, 0 to <see cref="SignedFileInfo.Length"/>.</param>
    /// <param name="length">How many bytes; <see langword="null"/> for the rest of the file.</param>
    /// <param name="cancellationToken">Cancelled when the request is aborted.</param>
    /// <returns>A readable stream of exactly the bytes asked for; the caller disposes it.</returns>
    /// <exception cref="SignedFileChangedException">The object changed or vanished since <paramref name="file"/> was read.</exception>
    ValueTask<Stream> OpenReadAsync(SignedFileInfo file, long offset, long? length, CancellationToken cancellationToken);
}
