namespace SignedStaticFiles.Stores;

/// <summary>
/// What every object store of a folder is wrapped in (see <see cref="Folders.SignedFolderRegistry"/>): a
/// bounded metadata cache, so that a repeated link does not cost a metadata request each time, and a
/// deadline on every call and every chunk read, so that a store that does not answer yields a prompt 503
/// (or an aborted answer once it has started), never a hang — whatever the SDK client's own timeouts.
/// </summary>
/// <remarks>
/// Reads stay conditional on the version that was looked up (the store's contract): when the store says the
/// object changed, its entry is dropped here, so the next look-up sees the new version or its absence.
/// </remarks>
internal sealed class CachedFileStore : ISignedFileStore
{
    // A store that ignores cancellation must still not hold a request: past the deadline plus this grace the
    // call is abandoned (it finishes, or fails, on its own).
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromMilliseconds(250);

    private readonly StoreMetadataCache _cache;

    public CachedFileStore(ISignedFileStore inner, SignedFileStoreOptions options, TimeProvider timeProvider)
    {
        Inner = inner;
        Timeout = options.Timeout;
        _cache = new StoreMetadataCache(options.MetadataCacheSize, options.MetadataCacheDuration, timeProvider);
    }

    /// <summary>The store as registered.</summary>
    public ISignedFileStore Inner { get; }

    /// <summary>The deadline of one call or one chunk (<see cref="SignedFileStoreOptions.Timeout"/>).</summary>
    public TimeSpan Timeout { get; }

    public string Scope => Inner.Scope;

    internal StoreMetadataCache Cache => _cache;

    public async ValueTask<SignedFileInfo?> GetFileAsync(string path, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(path, out var cached))
        {
            return cached;
        }

        var file = await LookUpAsync(path, cancellationToken).ConfigureAwait(false);
        if (file is not null)
        {
            _cache.Set(path, file);
        }

        return file;
    }

    /// <summary>Asks the store itself, past the cache, within the deadline (health checks use it).</summary>
    public async ValueTask<SignedFileInfo?> LookUpAsync(string path, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            return await Inner.GetFileAsync(path, deadline.Token).AsTask()
                .WaitAsync(Timeout + AbandonGrace, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDeadline(e, cancellationToken))
        {
            throw TimedOut(e);
        }
    }

    public async ValueTask<Stream> OpenReadAsync(SignedFileInfo file, long offset, long? length, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        Stream stream;
        try
        {
            stream = await Inner.OpenReadAsync(file, offset, length, deadline.Token).AsTask()
                .WaitAsync(Timeout + AbandonGrace, cancellationToken).ConfigureAwait(false);
        }
        catch (SignedFileChangedException)
        {
            _cache.Evict(file.Path);
            throw;
        }
        catch (Exception e) when (IsDeadline(e, cancellationToken))
        {
            throw TimedOut(e);
        }

        return new DeadlineStream(stream, Timeout, () => _cache.Evict(file.Path));
    }

    /// <summary>Drops the cached metadata of <paramref name="path"/> and of every path below it (<c>/</c>: all).</summary>
    public void Evict(string path) => _cache.Evict(path);

    /// <summary>
    /// A cancellation that the request did not ask for is the deadline (ours or the SDK client's own timeout):
    /// an outage, not a client that went away. It must not surface as a cancellation, which the framework's
    /// file sender would take for a client abort.
    /// </summary>
    internal static bool IsDeadline(Exception e, CancellationToken requestAborted) =>
        e is OperationCanceledException or TimeoutException && !requestAborted.IsCancellationRequested;

    internal static TimeoutException TimedOut(Exception e) =>
        e as TimeoutException ?? new TimeoutException("The file store did not answer in time.", e);

    /// <summary>A read stream whose every read is bounded by the deadline.</summary>
    private sealed class DeadlineStream(Stream inner, TimeSpan timeout, Action onChanged) : AsyncReadStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                return await inner.ReadAsync(buffer, deadline.Token).AsTask()
                    .WaitAsync(timeout + AbandonGrace, cancellationToken).ConfigureAwait(false);
            }
            catch (SignedFileChangedException)
            {
                onChanged();
                throw;
            }
            catch (Exception e) when (IsDeadline(e, cancellationToken))
            {
                throw TimedOut(e);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
