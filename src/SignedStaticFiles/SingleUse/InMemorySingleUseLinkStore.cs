using System.Collections.Concurrent;

namespace SignedStaticFiles.SingleUse;

/// <summary>
/// The default <see cref="ISingleUseLinkStore"/>: a concurrent dictionary in the memory of this process.
/// Right for one server; a web farm needs a shared store (each node would otherwise accept the link once),
/// and a restart forgets which links were used (their tokens stay valid until they expire).
/// </summary>
/// <remarks>
/// <see cref="ConcurrentDictionary{TKey, TValue}.TryAdd"/> is the atomic step: of concurrent requests with
/// the same link, exactly one adds the record. Records are swept at most once a minute, inline, by the
/// request that finds the sweep due; the dictionary holds at most the single-use links used during the
/// last <c>MaxLifetime</c> (an attacker cannot add records: only genuine tokens reach the store).
/// </remarks>
internal sealed class InMemorySingleUseLinkStore(TimeProvider timeProvider) : ISingleUseLinkStore
{
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);
    private long _nextSweepTicks;
    private int _sweeping;

    internal int Count => _used.Count;

    public ValueTask<bool> TryConsumeAsync(string linkId, DateTimeOffset keepUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkId);
        SweepIfDue();
        return ValueTask.FromResult(_used.TryAdd(linkId, keepUntil));
    }

    public ValueTask<bool> TryReserveAsync(string linkId, DateTimeOffset keepUntil, CancellationToken cancellationToken) =>
        TryConsumeAsync(linkId, keepUntil, cancellationToken);

    public ValueTask CommitAsync(string linkId, DateTimeOffset keepUntil, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ReleaseAsync(string linkId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkId);
        _used.TryRemove(linkId, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> IsConsumedAsync(string linkId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkId);
        return ValueTask.FromResult(_used.ContainsKey(linkId));
    }

    private void SweepIfDue()
    {
        var now = timeProvider.GetUtcNow();
        if (now.UtcTicks < Volatile.Read(ref _nextSweepTicks) || Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            foreach (var (linkId, keepUntil) in _used)
            {
                if (keepUntil <= now)
                {
                    _used.TryRemove(new KeyValuePair<string, DateTimeOffset>(linkId, keepUntil));
                }
            }

            Volatile.Write(ref _nextSweepTicks, (now + SweepInterval).UtcTicks);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
