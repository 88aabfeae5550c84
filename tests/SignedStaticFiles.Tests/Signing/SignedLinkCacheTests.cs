using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Signing;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Signing;

/// <summary>
/// The cache of validated tokens remembers a decoding for at most <see cref="SignedLinkCache.EntryLifetime"/>
/// and never anything else: each test runs the real protector on a real key ring underneath.
/// </summary>
public sealed class SignedLinkCacheTests : IAsyncLifetime
{
    private SignedHost _host = null!;
    private SignedLinkProtector _protector = null!;
    private int _unprotects;
    private bool _revoked;

    public async Task InitializeAsync()
    {
        _host = await SignedHost.StartAsync();
        _protector = _host.Services.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0].Protector;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Token_IsRememberedFromItsSecondValidation_UntilTheEntryLifetime()
    {
        var cache = NewCache();
        var token = Mint();

        Assert.Equal("/protected/a.txt", cache.Unprotect(token)?.Path);
        Assert.Equal(1, _unprotects);
        Assert.Equal("/protected/a.txt", cache.Unprotect(token)?.Path);
        Assert.Equal(2, _unprotects);   // a token used once is not remembered: the second use validates again
        Assert.Equal("/protected/a.txt", cache.Unprotect(token)?.Path);
        Assert.Equal("/protected/a.txt", cache.Unprotect(token)?.Path);
        Assert.Equal(2, _unprotects);   // from then on, remembered

        _host.Time.Advance(SignedLinkCache.EntryLifetime);
        Assert.Equal("/protected/a.txt", cache.Unprotect(token)?.Path);
        Assert.Equal(3, _unprotects);
        Assert.Equal("/protected/a.txt", cache.Unprotect(token)?.Path);
        Assert.Equal(3, _unprotects);
    }

    [Fact]
    public void KeyRevokedOutsideThisProcess_IsRefused_NoLaterThanTheEntryLifetime()
    {
        var cache = NewCache();
        var token = Mint();
        Remember(cache, token);

        // The revocation is learned only by the next real unprotect (another node revoked the key, say).
        _revoked = true;
        _host.Time.Advance(SignedLinkCache.EntryLifetime - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(cache.Unprotect(token));

        _host.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(cache.Unprotect(token));
        Assert.Null(cache.Unprotect(token));
    }

    /// <summary>The wall clock does not measure an entry's age: set back, it neither revives nor extends an entry, nor drops a fresh one.</summary>
    [Fact]
    public void WallClockSetBack_NeitherExtendsNorDropsAFreshEntry()
    {
        var clock = new SteppableClock(_host.Time.GetUtcNow());
        var cache = new SignedLinkCache(t => Unprotect(t.ToString()), clock, currentKeyRing: null);
        var token = Mint();
        Remember(cache, token);
        var before = _unprotects;

        clock.SetWallClockBack(TimeSpan.FromHours(1));
        Assert.NotNull(cache.Unprotect(token));
        Assert.Equal(before, _unprotects);

        clock.Advance(SignedLinkCache.EntryLifetime);
        Assert.NotNull(cache.Unprotect(token));
        Assert.Equal(before + 1, _unprotects);
    }

    /// <summary>
    /// The entry lifetime is real time: a wall clock set back (an NTP step, an operator) must not bring back an entry
    /// that is already older than <see cref="SignedLinkCache.EntryLifetime"/>, least of all one whose token the real
    /// validation has just refused (a key revoked elsewhere, learned by DataProtection).
    /// </summary>
    [Fact]
    public void WallClockSetBack_NeverRevivesAnEntryOlderThanTheEntryLifetime()
    {
        var clock = new SteppableClock(_host.Time.GetUtcNow());
        var cache = new SignedLinkCache(t => Unprotect(t.ToString()), clock, currentKeyRing: null);
        var token = Mint();
        Remember(cache, token);

        _revoked = true;
        clock.Advance(SignedLinkCache.EntryLifetime + TimeSpan.FromSeconds(1));
        Assert.Null(cache.Unprotect(token));    // stale: validated again, and refused

        clock.SetWallClockBack(TimeSpan.FromSeconds(6));
        Assert.Null(cache.Unprotect(token));    // the 11-second-old entry must stay dead
    }

    /// <summary>A wall clock that can be set back, over a monotonic clock that only moves forward (as TimeProvider.System).</summary>
    private sealed class SteppableClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _wall = start;
        private long _elapsedTicks;

        public override DateTimeOffset GetUtcNow() => _wall;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => 1_000_000 + _elapsedTicks;

        public void Advance(TimeSpan by)
        {
            _wall += by;
            _elapsedTicks += by.Ticks;
        }

        public void SetWallClockBack(TimeSpan by) => _wall -= by;
    }

    [Fact]
    public void NewKeyRing_EmptiesTheCacheAtOnce()
    {
        var keyRing = new object();
        var cache = new SignedLinkCache(t => Unprotect(t.ToString()), _host.Time, () => keyRing);
        var token = Mint();
        Remember(cache, token);

        _revoked = true;
        keyRing = new object();
        Assert.Null(cache.Unprotect(token));
        Assert.Equal(3, _unprotects);
    }

    [Fact]
    public void RefusedToken_IsNeverRemembered()
    {
        var cache = NewCache();
        var forged = Tamper(Mint());

        Assert.Null(cache.Unprotect(forged));
        Assert.Null(cache.Unprotect(forged));
        Assert.Equal(2, _unprotects);
    }

    [Theory]
    [InlineData(0)]     // the head: outside the part of the token the slot is chosen by
    [InlineData(50)]    // the middle
    [InlineData(100)]   // the end: inside it
    public void TokenDifferingByOneCharacterFromARememberedOne_IsValidatedOnItsOwn(int percent)
    {
        var cache = NewCache();
        var token = Mint();
        Remember(cache, token);

        Assert.Null(cache.Unprotect(Tamper(token, percent)));
        Assert.Equal(3, _unprotects);
        Assert.NotNull(cache.Unprotect(token));
        Assert.Equal(3, _unprotects);   // the forgery evicted nothing
    }

    [Fact]
    public void ManyTokens_StayWithinTheCapacity_AndEachStillDecodesToItsOwnLink()
    {
        var cache = NewCache();
        var tokens = Enumerable.Range(0, SignedLinkCache.Capacity * 2).Select(i => (Path: $"/protected/{i}.txt", Token: Mint($"/protected/{i}.txt"))).ToList();
        foreach (var (path, token) in tokens)
        {
            Assert.Equal(path, cache.Unprotect(token)?.Path);
        }

        foreach (var (path, token) in tokens)
        {
            Assert.Equal(path, cache.Unprotect(token)?.Path);
        }

        foreach (var (path, token) in tokens)
        {
            Assert.Equal(path, cache.Unprotect(token)?.Path);
        }

        // Twice as many tokens as slots: some were evicted and decoded again, none was mixed up.
        Assert.InRange(_unprotects, (tokens.Count * 2) + 1, tokens.Count * 3 - 1);
    }

    /// <summary>Validates twice (a token is admitted on its second validation), then checks it is remembered.</summary>
    private void Remember(SignedLinkCache cache, string token)
    {
        Assert.NotNull(cache.Unprotect(token));
        Assert.NotNull(cache.Unprotect(token));
        var before = _unprotects;
        Assert.NotNull(cache.Unprotect(token));
        Assert.Equal(before, _unprotects);
    }

    private SignedLinkCache NewCache() => new(t => Unprotect(t.ToString()), _host.Time, currentKeyRing: null);

    private SealedLink? Unprotect(string token)
    {
        _unprotects++;
        return _revoked ? null : _protector.Unprotect(token);
    }

    private string Mint(string path = "/protected/a.txt") => _protector.Protect(new SealedLink
    {
        Path = path,
        LinkId = SealedLinkCodec.NewLinkId(), IssuedAt = DateTimeOffset.UnixEpoch.AddYears(56),
        Expires = _host.Time.GetUtcNow().AddHours(1),
    });

    private static string Tamper(string token, int percent = 50)
    {
        var chars = token.ToCharArray();
        var i = Math.Min(chars.Length - 1, chars.Length * percent / 100);
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
