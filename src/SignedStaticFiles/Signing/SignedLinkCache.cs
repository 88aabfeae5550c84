namespace SignedStaticFiles.Signing;

/// <summary>
/// A small, bounded memory of the tokens this node unprotected lately, so that a link fetched again
/// (a page reload, an image shown twice, a PDF read in ranges) skips the cryptography.
/// </summary>
/// <remarks>
/// <para>
/// Only the decoding is remembered: the <see cref="SealedLink"/> a genuine token carries. Everything
/// that can change between two requests is still judged on every request by the middleware: the path,
/// the expiry (to the tick, against the <see cref="TimeProvider"/>), the bound user, the single-use store.
/// A refused token is never remembered, so forgeries cannot fill the cache (docs/security-model.md, T12), and a token differing
/// from a remembered one by a single character is a different key (ordinal comparison).
/// </para>
/// <para>
/// Revocation: an entry is used only while DataProtection still works with the very key ring (the same
/// <c>IKeyRing</c> object) under which the token was validated, and at most <see cref="EntryLifetime"/>.
/// When a key is created or revoked, DataProtection builds a new key ring and every entry is dropped, so
/// a revoked key stops working here exactly when it stops working for DataProtection itself (the
/// framework refreshes its ring in the background, within milliseconds in this process). A revocation
/// DataProtection learns later (another node's, say) takes effect at most <see cref="EntryLifetime"/>
/// after DataProtection itself learns it.
/// </para>
/// <para>
/// Layout: a fixed array of <see cref="Capacity"/> slots indexed by the (per-process randomised) string hash
/// of the token's end (<see cref="SlotHash"/>); a new entry replaces whatever held its slot. A token is admitted the second time it is
/// validated (see <see cref="SeenBefore"/>). No locks, no counting, bounded memory.
/// </para>
/// </remarks>
internal sealed class SignedLinkCache
{
    /// <summary>The number of slots.</summary>
    internal const int Capacity = 1024;

    /// <summary>How long a remembered token is trusted before it is unprotected again.</summary>
    internal static readonly TimeSpan EntryLifetime = TimeSpan.FromSeconds(10);

    private static readonly object NoKeyRing = new();

    private readonly Unprotector _unprotect;
    private readonly TimeProvider _timeProvider;
    private readonly Func<object>? _currentKeyRing;
    private readonly long _lifetime;
    private const int DoorkeeperSize = 4 * Capacity;

    private readonly Entry?[] _slots = new Entry?[Capacity];
    private readonly int[] _seen = new int[DoorkeeperSize];

    /// <param name="unprotect">The real validation, run on a miss.</param>
    /// <param name="timeProvider">The clock of the entry lifetime.</param>
    /// <param name="currentKeyRing">DataProtection's current key ring (<c>IKeyRingProvider.GetCurrentKeyRing</c>), when known.</param>
    public SignedLinkCache(Unprotector unprotect, TimeProvider timeProvider, Func<object>? currentKeyRing)
    {
        _unprotect = unprotect;
        _timeProvider = timeProvider;
        _currentKeyRing = currentKeyRing;
        _lifetime = (long)(EntryLifetime.TotalSeconds * timeProvider.TimestampFrequency);
    }

    /// <summary>Unprotects a token that is not in the cache.</summary>
    internal delegate SealedLink? Unprotector(ReadOnlySpan<char> token);

    /// <summary>The link sealed in <paramref name="token"/>, or <see langword="null"/> when it is not genuine.</summary>
    public SealedLink? Unprotect(string token) => Unprotect(token.AsSpan());

    /// <summary>
    /// The link sealed in <paramref name="token"/>, or <see langword="null"/> when it is not genuine. Takes the
    /// token as it lies in the query string: a fresh link (the common case) costs no token string at all; the string
    /// is made only when a token is admitted.
    /// </summary>
    /// <remarks>
    /// The entry lifetime is measured on the <see cref="TimeProvider"/>'s monotonic timestamp, never on its wall clock:
    /// a wall clock set back (an NTP step, an operator) would otherwise bring back entries older than
    /// <see cref="EntryLifetime"/>, even one whose token the real validation has refused since.
    /// </remarks>
    public SealedLink? Unprotect(ReadOnlySpan<char> token)
    {
        // Read before the unprotect: a ring swapped during it makes the entry stale, never the reverse.
        var keyRing = _currentKeyRing?.Invoke() ?? NoKeyRing;
        var ticks = _timeProvider.GetTimestamp();
        var hash = SlotHash(token);
        ref var slot = ref _slots[(uint)hash & (Capacity - 1)];
        var entry = Volatile.Read(ref slot);
        if (entry is not null
            && ReferenceEquals(entry.KeyRing, keyRing)
            && (ulong)(ticks - entry.Added) < (ulong)_lifetime
            && token.SequenceEqual(entry.Token))
        {
            return entry.Link;
        }

        var link = _unprotect(token);
        if (link is not null && SeenBefore(hash))
        {
            Volatile.Write(ref slot, new Entry(token.ToString(), link, keyRing, ticks));
        }

        return link;
    }

    /// <summary>How many characters at the end of a token choose its slot.</summary>
    internal const int HashedLength = 32;

    /// <summary>
    /// The slot of a token, from its last <see cref="HashedLength"/> characters only: a token ends with
    /// DataProtection's authentication tag (16 bytes or more, whatever the algorithm), so those characters are as random as the whole token, and hashing them
    /// instead of a 200-character token saves most of a repeated link's lookup. The hash is the process-randomised
    /// string hash, so nobody outside can aim tokens at one slot; a hit still compares the whole token.
    /// </summary>
    private static int SlotHash(ReadOnlySpan<char> token) =>
        string.GetHashCode(token.Length > HashedLength ? token[^HashedLength..] : token);

    /// <summary>
    /// Admission: a genuine token is remembered the second time it is validated, not the first. Links
    /// used once (the common case when every page view mints new ones) then cost the cache nothing: no
    /// entry allocated, no token string kept alive through garbage collections, no eviction of the
    /// links that do repeat. The doorkeeper only holds hashes, so a collision merely admits early.
    /// </summary>
    private bool SeenBefore(int hash)
    {
        ref var seen = ref _seen[(uint)hash & (DoorkeeperSize - 1)];
        if (Volatile.Read(ref seen) == hash)
        {
            return true;
        }

        Volatile.Write(ref seen, hash);
        return false;
    }

    private sealed record Entry(string Token, SealedLink Link, object KeyRing, long Added);
}
