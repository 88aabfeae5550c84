namespace SignedStaticFiles.Stores;

/// <summary>
/// Drops cached store metadata, so that the next request for a path asks the store again. Registered (as a
/// singleton) by every store registration (<c>ServeFromStore</c>, and so <c>ServeFromS3</c> and
/// <c>ServeFromAzureBlobs</c>); resolve it with <c>GetService</c>, not <c>GetRequiredService</c>: an app whose
/// folders are all local has no store metadata and no such service.
/// </summary>
/// <remarks>
/// Revocation calls it: <c>RevokePathAsync(path)</c> → <see cref="Evict"/>(path), <c>RevokeAllAsync</c> →
/// <see cref="EvictAll"/>. Eviction is local to the node (each node's cache lives a few seconds at most, see
/// <see cref="SignedFileStoreOptions.MetadataCacheDuration"/>), and it never affects correctness of bytes:
/// reads are conditional on the cached version anyway.
/// </remarks>
internal interface IStoreMetadataEviction
{
    /// <summary>
    /// Evicts the metadata of an app-relative, unencoded path (as links are minted: <c>/protected/kyc/42.jpg</c>)
    /// and of every path below it: a file, a folder below a protected folder, a protected folder's request path,
    /// or a path above folders (<c>/</c> evicts every folder).
    /// </summary>
    void Evict(string appPath);

    /// <summary>Evicts everything cached by every folder.</summary>
    void EvictAll();
}
