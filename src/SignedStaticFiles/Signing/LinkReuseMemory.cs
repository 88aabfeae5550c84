using System.Collections.Concurrent;

namespace SignedStaticFiles.Signing;

/// <summary>
/// The links minted lately under a folder's <see cref="SignedStaticFilesOptions.LinkReuseWindow"/>: minting the
/// same path with the same options for the same user again within the window returns the same URL, so a
/// re-rendered page reuses the browser's copy. Bounded (<see cref="Capacity"/> entries; when full, expired entries
/// are dropped, and everything if that is not enough), and emptied by every revocation so that a re-mint never
/// returns a revoked URL.
/// </summary>
internal sealed class LinkReuseMemory
{
    internal const int Capacity = 10_000;

    private readonly ConcurrentDictionary<Key, Entry> _entries = new();

    public int Count => _entries.Count;

    /// <summary>The URL minted for <paramref name="key"/>, when it was minted less than <paramref name="window"/> ago and lives at least <paramref name="lifetime"/> more.</summary>
    /// <remarks>
    /// <paramref name="isRevoked"/> closes the race with a revocation that cleared the memory while a mint was
    /// about to remember its link: a remembered link that a known revocation matches is never handed out again.
    /// </remarks>
    public string? Find(in Key key, DateTimeOffset now, TimeSpan window, TimeSpan lifetime, Func<SealedLink, bool>? isRevoked = null) =>
        _entries.TryGetValue(key, out var entry) && now - entry.IssuedAt < window && now >= entry.IssuedAt && entry.Expires - now >= lifetime
        && isRevoked?.Invoke(entry.Link) != true
            ? entry.Url
            : null;

    public void Remember(in Key key, string url, SealedLink link)
    {
        var issuedAt = link.IssuedAt;
        if (_entries.Count >= Capacity)
        {
            foreach (var (k, e) in _entries)
            {
                if (e.Expires <= issuedAt)
                {
                    _entries.TryRemove(k, out _);
                }
            }

            if (_entries.Count >= Capacity)
            {
                _entries.Clear();
            }
        }

        _entries[key] = new Entry(url, link.IssuedAt, link.Expires, link);
    }

    /// <summary>Forgets every link: called by every revocation.</summary>
    public void Clear() => _entries.Clear();

    /// <summary>Everything a reused link must share with the one asked for.</summary>
    internal readonly record struct Key(
        string Folder, string Path, string? UserId, string? DownloadFileName, string? WatermarkText, string? Redaction, string? Regions, TimeSpan Lifetime);

    private sealed record Entry(string Url, DateTimeOffset IssuedAt, DateTimeOffset Expires, SealedLink Link);
}
