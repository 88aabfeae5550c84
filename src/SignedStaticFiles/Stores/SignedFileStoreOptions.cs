namespace SignedStaticFiles.Stores;

/// <summary>
/// How a folder served from an object store (<c>ServeFromS3</c>, <c>ServeFromAzureBlobs</c>,
/// <c>ServeFromStore</c>) caches metadata and bounds the time it waits for the store. Named options: one
/// instance per folder, under the folder's name, bound from the configuration section
/// <c>SignedStaticFiles:Store</c> (default folder) or <c>SignedStaticFiles:Folders:{name}:Store</c>.
/// </summary>
/// <remarks>See docs/stores.md for the behaviour these values steer.</remarks>
public sealed class SignedFileStoreOptions
{
    /// <summary>
    /// How long a file's metadata (length, time, version) is reused without asking the store again, so
    /// that a repeated link does not cost a metadata request each time. Default 5 seconds;
    /// <see cref="TimeSpan.Zero"/> switches the cache off; at most 1 hour.
    /// </summary>
    /// <remarks>
    /// Bytes are never served stale: every read is conditional on the cached version, and a changed object is
    /// looked up again before a byte is sent (a deleted one answers 404). What the duration bounds is how long
    /// answers without a body (HEAD, 304, 412) may still describe the previous version after an overwrite.
    /// Missing files are not cached: a file uploaded a moment ago is found at once.
    /// </remarks>
    public TimeSpan MetadataCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most files whose metadata the folder keeps (about 200 bytes each plus the path); the oldest
    /// entries go first when it is full. Default 10,000; 0 switches the cache off.
    /// </summary>
    public int MetadataCacheSize { get; set; } = 10_000;

    /// <summary>
    /// The longest the package waits for the store: for a metadata request, for the first bytes of a read,
    /// and for each further chunk of a read to arrive. Past it, a request that has not started its answer gets
    /// 503 with <c>Retry-After</c> (the outage is logged once), and one whose answer has started is aborted —
    /// never a hang. This bound holds whatever timeouts and retries the SDK client is configured with.
    /// Default 10 seconds; greater than zero, at most 5 minutes.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
