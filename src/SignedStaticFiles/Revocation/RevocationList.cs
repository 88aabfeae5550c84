using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SignedStaticFiles.Diagnostics;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Revocation;

/// <summary>
/// The revocations this node knows, judged on every request in memory: one timestamp for "everything", a hash
/// lookup for a link id and for a user id, and one hash lookup per path segment for files and folders (no
/// allocation: the segments are looked up as spans). The cost does not grow with the number held.
/// </summary>
/// <remarks>
/// <para>
/// Issue-time semantics, to the millisecond of the tokens: a revocation with cutoff <c>C</c> refuses a
/// matching link whose issue time is at or before <c>C</c>. A link-id revocation refuses that link whatever its
/// issue time (the id is random and never minted twice).
/// </para>
/// <para>
/// The boundary: a revocation's cutoff is at least the revoking node's clock, and after it this node mints
/// links with an issue time after every cutoff it knows (<see cref="IssueTime"/>), so a link minted after the
/// call returned is never refused by it, even when it is minted in the very millisecond of the revocation or
/// when the cutoff includes a farm's clock-skew allowance and lies ahead of the clock.
/// </para>
/// <para>
/// Compaction: an entry is kept until no link it can match can still be alive — its cutoff plus the largest
/// <see cref="SignedStaticFilesOptions.MaxLifetime"/> of the folders plus one millisecond (issue times are
/// truncated to the millisecond) — judged on this node's clock, the same clock that judges expiry, which is
/// checked before revocation. A sweep runs every <see cref="CompactionInterval"/>.
/// </para>
/// <para>
/// With a farm store, the node must also know it is in sync: the store's reader confirms it
/// (<see cref="Confirm"/>) with the instant its last complete read was sent; once that is older than
/// <see cref="IRevocationStore.MaxStaleness"/>, links not known to be revoked answer
/// <see cref="SignedFileOutcome.RevocationStateUnknown"/> (503) while known revocations still answer 410.
/// </para>
/// </remarks>
internal sealed class RevocationList : IDisposable
{
    /// <summary>How often entries that can no longer match a live link are dropped.</summary>
    internal static readonly TimeSpan CompactionInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Stamp> _links = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Stamp> _users = new(StringComparer.Ordinal);

    // Case-insensitive: a file reachable under two spellings (a case-insensitive file system) is one document.
    private readonly ConcurrentDictionary<string, Stamp> _paths = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Stamp>.AlternateLookup<ReadOnlySpan<char>> _pathLookup;

    private readonly TimeProvider _time;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly ITimer _compaction;
    private readonly long _horizonMs;
    private readonly long _maxStaleTicks;

    private int _linkCount;
    private int _userCount;
    private int _pathCount;
    private long _allCutoff = long.MinValue;
    private long _issueFloor = long.MinValue;
    private long _confirmedAt = Never;
    private int _answeredUnknown;
    private IRevocationListener[]? _listeners;

    private const long Never = long.MinValue;

    /// <param name="folders">The folders: their largest MaxLifetime is how long a revocation is kept.</param>
    /// <param name="time">The clock of cutoffs, compaction and staleness.</param>
    /// <param name="services">Where listeners are resolved, on first use.</param>
    /// <param name="loggerFactory">Optional: a console tool revoking or minting links from a bare service collection has no logging.</param>
    /// <param name="store">The farm's store, if any.</param>
    public RevocationList(
        SignedFolderRegistry folders, TimeProvider time, IServiceProvider services, ILoggerFactory? loggerFactory = null, IRevocationStore? store = null)
    {
        _time = time;
        _services = services;
        _logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("SignedStaticFiles");
        _pathLookup = _paths.GetAlternateLookup<ReadOnlySpan<char>>();
        _horizonMs = (long)Math.Ceiling(folders.Folders.Select(f => f.Options.MaxLifetime).DefaultIfEmpty(TimeSpan.Zero).Max().TotalMilliseconds) + 1;
        ClockSkewAllowance = store?.ClockSkewAllowance ?? TimeSpan.Zero;
        _maxStaleTicks = store is null ? 0 : Math.Max(1, (long)(store.MaxStaleness.TotalSeconds * time.TimestampFrequency));
        _compaction = time.CreateTimer(static state => ((RevocationList)state!).Compact(), this, CompactionInterval, CompactionInterval);
    }

    /// <summary>Added to the clock when stamping a revocation: zero in memory, the store's allowance in a farm.</summary>
    public TimeSpan ClockSkewAllowance { get; }

    /// <summary>How long a revocation is kept after its cutoff: the largest folder MaxLifetime plus one millisecond.</summary>
    public TimeSpan Horizon => TimeSpan.FromMilliseconds(_horizonMs);

    /// <summary>The number of revocations held (a later cutoff for the same key replaces the earlier one).</summary>
    public int Count => Volatile.Read(ref _linkCount) + Volatile.Read(ref _userCount) + Volatile.Read(ref _pathCount)
        + (Volatile.Read(ref _allCutoff) == long.MinValue ? 0 : 1);

    /// <summary>Whether a farm store must confirm this node is in sync.</summary>
    public bool RequiresConfirmation => _maxStaleTicks != 0;

    /// <summary>The request's check, after expiry: <see cref="SignedFileOutcome.Served"/> when nothing stops the link.</summary>
    public SignedFileOutcome Judge(SealedLink link)
    {
        if (IsRevoked(link))
        {
            return SignedFileOutcome.Revoked;
        }

        // Known revocations are answered even while out of sync; anything else waits for the store.
        if (_maxStaleTicks == 0 || IsInSync(_time.GetTimestamp()))
        {
            return SignedFileOutcome.Served;
        }

        if (Volatile.Read(ref _answeredUnknown) == 0)
        {
            Volatile.Write(ref _answeredUnknown, 1);
        }

        return SignedFileOutcome.RevocationStateUnknown;
    }

    /// <summary>
    /// Whether a request was answered <see cref="SignedFileOutcome.RevocationStateUnknown"/> since the last call: the
    /// store's reader logs an outage the requests saw even when it was too short for the reader to catch it stale.
    /// </summary>
    public bool TakeAnsweredUnknown() => Interlocked.Exchange(ref _answeredUnknown, 0) == 1;

    /// <summary>Whether a revocation this node knows matches <paramref name="link"/>.</summary>
    public bool IsRevoked(SealedLink link)
    {
        var issued = link.IssuedAt.ToUnixTimeMilliseconds();
        if (issued <= Volatile.Read(ref _allCutoff))
        {
            return true;
        }

        if (Volatile.Read(ref _linkCount) != 0 && _links.ContainsKey(link.LinkId))
        {
            return true;
        }

        if (link.UserId is { } userId && Volatile.Read(ref _userCount) != 0
            && _users.TryGetValue(userId, out var user) && issued <= user.CutoffMs)
        {
            return true;
        }

        return Volatile.Read(ref _pathCount) != 0 && IsPathRevoked(link.Path, issued);
    }

    /// <summary>Every prefix of the path that ends at a segment boundary, then the whole path: /a, /a/b, /a/b/c.</summary>
    private bool IsPathRevoked(ReadOnlySpan<char> path, long issued)
    {
        var end = 0;
        while (end < path.Length)
        {
            var next = path[(end + 1)..].IndexOf('/');
            end = next < 0 ? path.Length : end + 1 + next;
            if (_pathLookup.TryGetValue(path[..end], out var stamp) && issued <= stamp.CutoffMs)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="revocation"/> matches a link with these fields: for listeners that remember minted
    /// links (<see cref="IRevocationListener"/>).
    /// </summary>
    public static bool Matches(RevocationEntry revocation, string linkId, string? userId, string path, DateTimeOffset issuedAt)
    {
        var issued = issuedAt.ToUnixTimeMilliseconds();
        return revocation.Kind switch
        {
            RevocationKind.Link => string.Equals(revocation.Key, linkId, StringComparison.Ordinal),
            RevocationKind.User => issued <= revocation.CutoffMs && string.Equals(revocation.Key, userId, StringComparison.Ordinal),
            RevocationKind.Path => issued <= revocation.CutoffMs && path.StartsWith(revocation.Key, StringComparison.OrdinalIgnoreCase)
                && (path.Length == revocation.Key.Length || path[revocation.Key.Length] == '/'),
            RevocationKind.All => issued <= revocation.CutoffMs,
            _ => false,
        };
    }

    /// <summary>
    /// The issue time of a link minted now: the clock, or just after the latest cutoff this node knows when that
    /// lies ahead (a cutoff of this very millisecond, or one carrying a farm's clock-skew allowance), so that a
    /// link minted after a revocation returned is never refused by it.
    /// </summary>
    public DateTimeOffset IssueTime(DateTimeOffset now)
    {
        var floor = Volatile.Read(ref _issueFloor);
        return now.ToUnixTimeMilliseconds() > floor ? now : DateTimeOffset.FromUnixTimeMilliseconds(floor + 1);
    }

    /// <summary>
    /// A new revocation of this node: its cutoff is this node's clock plus the skew allowance, and never before a
    /// link this node already minted (which may carry an issue time just past an earlier cutoff).
    /// </summary>
    public RevocationEntry NewRevocation(RevocationKind kind, string key)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var cutoff = now + (long)ClockSkewAllowance.TotalMilliseconds;
        if (kind != RevocationKind.Link)
        {
            var floor = Volatile.Read(ref _issueFloor);
            if (floor != long.MinValue && cutoff <= floor)
            {
                cutoff = floor + 1;
            }
        }

        return new RevocationEntry(kind, key, cutoff, cutoff + _horizonMs);
    }

    /// <summary>
    /// Enforces a revocation (this node's or the farm's). Idempotent: an entry already known, or with an earlier
    /// cutoff than the one held for its key, changes nothing. An entry that can no longer match a live link is
    /// ignored. Listeners are told of every change.
    /// </summary>
    /// <returns>Whether anything changed.</returns>
    public bool Apply(RevocationEntry entry)
    {
        // This node's own MaxLifetime may be larger than the revoking node's: keep the entry long enough for both.
        var stamp = new Stamp(entry.CutoffMs, Math.Max(entry.ExpiresMs, entry.CutoffMs + _horizonMs));
        if (stamp.ExpiresMs <= _time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return false;
        }

        // The floor first: a link minted from now on must pass this cutoff before the cutoff refuses anything.
        if (entry.Kind != RevocationKind.Link)
        {
            InterlockedMax(ref _issueFloor, entry.CutoffMs);
        }

        var changed = entry.Kind switch
        {
            RevocationKind.All => InterlockedMax(ref _allCutoff, entry.CutoffMs),
            RevocationKind.Link => Upsert(_links, entry.Key, stamp, ref _linkCount),
            RevocationKind.User => Upsert(_users, entry.Key, stamp, ref _userCount),
            RevocationKind.Path => Upsert(_paths, entry.Key, stamp, ref _pathCount),
            _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.Kind, "Unknown revocation kind."),
        };

        if (changed)
        {
            Notify(entry);
        }

        return changed;
    }

    /// <summary>Every revocation held that can still match a live link (a farm store re-seeds itself from them).</summary>
    public IEnumerable<RevocationEntry> Snapshot()
    {
        var all = Volatile.Read(ref _allCutoff);
        if (all != long.MinValue && all + _horizonMs > _time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            yield return new RevocationEntry(RevocationKind.All, string.Empty, all, all + _horizonMs);
        }

        foreach (var (kind, map) in new[] { (RevocationKind.Link, _links), (RevocationKind.User, _users), (RevocationKind.Path, _paths) })
        {
            foreach (var (key, stamp) in map)
            {
                yield return new RevocationEntry(kind, key, stamp.CutoffMs, stamp.ExpiresMs);
            }
        }
    }

    /// <summary>Drops every entry that can no longer match a live link; returns how many.</summary>
    public int Compact()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var dropped = Sweep(_links, now, ref _linkCount) + Sweep(_users, now, ref _userCount) + Sweep(_paths, now, ref _pathCount);
        var all = Volatile.Read(ref _allCutoff);
        if (all != long.MinValue && all + _horizonMs <= now && Interlocked.CompareExchange(ref _allCutoff, long.MinValue, all) == all)
        {
            dropped++;
        }

        if (dropped > 0)
        {
            SignedStaticFilesLog.RevocationsCompacted(_logger, dropped, Count);
        }

        return dropped;
    }

    /// <summary>
    /// The farm store's reader read everything stored up to the instant it sent its request
    /// (<paramref name="sentTimestamp"/>, <see cref="TimeProvider.GetTimestamp"/>): the node is in sync as of then.
    /// </summary>
    public void Confirm(long sentTimestamp) => InterlockedMax(ref _confirmedAt, sentTimestamp);

    /// <summary>Whether the last confirmed sync is recent enough (always true without a farm store).</summary>
    public bool IsInSync(long nowTimestamp)
    {
        if (_maxStaleTicks == 0)
        {
            return true;
        }

        var confirmed = Volatile.Read(ref _confirmedAt);
        return confirmed != Never && nowTimestamp - confirmed <= _maxStaleTicks;
    }

    /// <summary>The timestamp of the last confirmed sync, or null when the node was never in sync.</summary>
    public long? ConfirmedAt => Volatile.Read(ref _confirmedAt) is var confirmed && confirmed == Never ? null : confirmed;

    public void Dispose() => _compaction.Dispose();

    private void Notify(RevocationEntry entry)
    {
        var listeners = Volatile.Read(ref _listeners);
        if (listeners is null)
        {
            // Resolved on first use: a listener (the generator's link reuse memory, say) may itself depend on this list.
            listeners = [.. _services.GetServices<IRevocationListener>()];
            Volatile.Write(ref _listeners, listeners);
        }

        foreach (var listener in listeners)
        {
            try
            {
                listener.OnRevoked(entry);
            }
#pragma warning disable CA1031 // The revocation is enforced already: a failing listener must not undo or hide it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                SignedStaticFilesLog.RevocationListenerFailed(_logger, listener.GetType().Name, exception);
            }
        }
    }

    private static bool Upsert(ConcurrentDictionary<string, Stamp> map, string key, Stamp stamp, ref int count)
    {
        while (true)
        {
            if (map.TryGetValue(key, out var held))
            {
                if (held.CutoffMs >= stamp.CutoffMs && held.ExpiresMs >= stamp.ExpiresMs)
                {
                    return false;
                }

                var merged = new Stamp(Math.Max(held.CutoffMs, stamp.CutoffMs), Math.Max(held.ExpiresMs, stamp.ExpiresMs));
                if (map.TryUpdate(key, merged, held))
                {
                    return merged.CutoffMs != held.CutoffMs;
                }
            }
            else if (map.TryAdd(key, stamp))
            {
                Interlocked.Increment(ref count);
                return true;
            }
        }
    }

    private static int Sweep(ConcurrentDictionary<string, Stamp> map, long now, ref int count)
    {
        var dropped = 0;
        foreach (var entry in map)
        {
            // Removes only the value seen: a later cutoff written meanwhile stays.
            if (entry.Value.ExpiresMs <= now && map.TryRemove(entry))
            {
                Interlocked.Decrement(ref count);
                dropped++;
            }
        }

        return dropped;
    }

    private static bool InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>A held revocation: its cutoff and when it may be dropped (Unix milliseconds).</summary>
    private readonly record struct Stamp(long CutoffMs, long ExpiresMs);
}
