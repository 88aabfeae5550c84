using System.Threading.RateLimiting;
using Microsoft.Extensions.Caching.Memory;

namespace SignedStaticFiles.ImageSharp.Caching;

/// <summary>
/// Bounded, deduplicated, cached work by key — it knows nothing of images. At most <c>maxConcurrency</c>
/// renders run and at most <c>queueLength</c> more wait (a <see cref="ConcurrencyLimiter"/>); beyond that a
/// request is answered <see cref="RenderQueueOutcome.Busy"/> at once instead of piling up memory. Identical
/// concurrent requests (same key) join the one render in flight, which is cancelled when every request
/// waiting for it has gone away. Results stay in a size-bounded, least-recently-used memory cache; failures
/// are never cached.
/// </summary>
/// <typeparam name="T">The result.</typeparam>
internal sealed class RenderQueue<T> : IDisposable
    where T : class
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly MemoryCache? _cache;
    private readonly long _cacheSize;
    private readonly Func<T, long> _sizeOf;
    private readonly Action<int>? _pendingChanged;
    private readonly Dictionary<string, Flight> _flights = new(StringComparer.Ordinal);

    /// <param name="maxConcurrency">Renders running at once, at least 1.</param>
    /// <param name="queueLength">Renders waiting for a slot, 0 or more.</param>
    /// <param name="cacheSizeBytes">The cache's size in <paramref name="sizeOf"/> units; 0 disables it.</param>
    /// <param name="sizeOf">The size of a result.</param>
    /// <param name="pendingChanged">Told +1/−1 as renders start and finish (a queue-depth gauge).</param>
    public RenderQueue(int maxConcurrency, int queueLength, long cacheSizeBytes, Func<T, long> sizeOf, Action<int>? pendingChanged = null)
    {
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = maxConcurrency,
            QueueLimit = queueLength,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _sizeOf = sizeOf;
        _pendingChanged = pendingChanged;
        _cacheSize = cacheSizeBytes;
        if (cacheSizeBytes > 0)
        {
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = cacheSizeBytes, CompactionPercentage = 0.25 });
        }
    }

    /// <summary>Renders running or waiting for a slot.</summary>
    public int Pending
    {
        get
        {
            lock (_flights)
            {
                return _flights.Count;
            }
        }
    }

    /// <summary>
    /// The result for <paramref name="key"/>: from the cache, from the render in flight, or from a new run
    /// of <paramref name="render"/> once a slot is free.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Whatever <paramref name="render"/> throws is thrown to every request that joined it.</remarks>
    public async Task<(RenderQueueOutcome Outcome, T? Value)> GetAsync(string key, Func<CancellationToken, Task<T>> render, CancellationToken cancellationToken)
    {
        if (_cache is not null && _cache.TryGetValue(key, out T? cached) && cached is not null)
        {
            return (RenderQueueOutcome.Cached, cached);
        }

        Flight flight;
        var owner = false;
        lock (_flights)
        {
            if (!_flights.TryGetValue(key, out flight!) || flight.Cancellation.IsCancellationRequested)
            {
                flight = new Flight();
                _flights[key] = flight;
                owner = true;
            }

            flight.Waiters++;
        }

        if (owner)
        {
            _pendingChanged?.Invoke(1);
            _ = RunAsync(key, flight, render);
        }

        try
        {
            var value = await flight.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return value is null ? (RenderQueueOutcome.Busy, null) : (owner ? RenderQueueOutcome.Rendered : RenderQueueOutcome.Joined, value);
        }
        finally
        {
            lock (_flights)
            {
                // The last one waiting has gone: nobody will read the result, so stop working on it.
                if (--flight.Waiters == 0 && !flight.Completion.Task.IsCompleted)
                {
                    flight.Cancellation.Cancel();
                }
            }
        }
    }

    /// <summary>How many rendered values the cache holds.</summary>
    public long CachedCount => _cache?.Count ?? 0;

    /// <summary>Drops every cached value (renders in flight finish and are cached as usual).</summary>
    public void ClearCache() => _cache?.Compact(1.0);

    public void Dispose()
    {
        _cache?.Dispose();
        _limiter.Dispose();
    }

    private async Task RunAsync(string key, Flight flight, Func<CancellationToken, Task<T>> render)
    {
        var token = flight.Cancellation.Token;
        try
        {
            using var lease = await _limiter.AcquireAsync(1, token).ConfigureAwait(false);
            if (!lease.IsAcquired)
            {
                Complete(key, flight);
                flight.Completion.TrySetResult(null);
                return;
            }

            var value = await render(token).ConfigureAwait(false);
            var size = _sizeOf(value);
            if (_cache is not null && size <= _cacheSize)
            {
                _cache.Set(key, value, new MemoryCacheEntryOptions { Size = size });
            }

            Complete(key, flight);
            flight.Completion.TrySetResult(value);
        }
        catch (OperationCanceledException)
        {
            Complete(key, flight);
            flight.Completion.TrySetCanceled(token);
        }
#pragma warning disable CA1031 // Handed to every waiter: the caller decides what a failure means.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Complete(key, flight);
            flight.Completion.TrySetException(e);
        }
        finally
        {
            _pendingChanged?.Invoke(-1);
        }
    }

    private void Complete(string key, Flight flight)
    {
        lock (_flights)
        {
            if (_flights.TryGetValue(key, out var current) && ReferenceEquals(current, flight))
            {
                _flights.Remove(key);
            }
        }
    }

    private sealed class Flight
    {
        public TaskCompletionSource<T?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Cancellation { get; } = new();

        public int Waiters { get; set; }
    }
}

/// <summary>How <see cref="RenderQueue{T}.GetAsync"/> answered.</summary>
internal enum RenderQueueOutcome
{
    /// <summary>From the cache.</summary>
    Cached,

    /// <summary>Joined a render already in flight.</summary>
    Joined,

    /// <summary>Rendered for this request.</summary>
    Rendered,

    /// <summary>No slot and no room in the queue: try again later.</summary>
    Busy,
}
