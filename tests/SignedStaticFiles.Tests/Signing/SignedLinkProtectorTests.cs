using System.Buffers.Text;
using Microsoft.AspNetCore.DataProtection;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Tests.Signing;

public sealed class SignedLinkProtectorTests
{
    private const string Scope = "folder:|path:/protected|root:test";

    private readonly IDataProtectionProvider _provider = DataProtectionProvider.Create("SignedStaticFiles.Tests");

    private static SealedLink Link(DateTimeOffset expires) => new()
    {
        Path = "/protected/a.jpg",
        LinkId = SealedLinkCodec.NewLinkId(),
        IssuedAt = DateTimeOffset.UnixEpoch,
        Expires = expires,
        UserId = "alice",
    };

    [Fact]
    public void Protect_Unprotect_RoundTrips()
    {
        var protector = new SignedLinkProtector(_provider, Scope);
        var link = Link(DateTimeOffset.UtcNow.AddMinutes(5));

        var back = protector.Unprotect(protector.Protect(link));

        Assert.NotNull(back);
        Assert.Equal(link.Path, back.Path);
        Assert.Equal(link.UserId, back.UserId);
        Assert.Equal(link.Expires.UtcTicks, back.Expires.UtcTicks);
    }

    [Fact]
    public void Token_IsOpaque_NoFieldReadableInIt()
    {
        var protector = new SignedLinkProtector(_provider, Scope);
        var token = protector.Protect(Link(DateTimeOffset.UtcNow.AddMinutes(5)));
        var raw = System.Text.Encoding.Latin1.GetString(Base64Url.DecodeFromChars(token));

        Assert.DoesNotContain("alice", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("a.jpg", raw, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_MintedByTheFrameworksTimeLimitedProtector_IsAccepted()
    {
        // Pins the wire format we read: the framework's ITimeLimitedDataProtector output.
        var expires = DateTimeOffset.UtcNow.AddMinutes(3);
        var framework = _provider.CreateProtector([.. SignedLinkProtector.Purposes, Scope]).ToTimeLimitedDataProtector();
        var token = Base64Url.EncodeToString(framework.Protect(SealedLinkCodec.Encode(Link(expires)), expires));

        var back = new SignedLinkProtector(_provider, Scope).Unprotect(token);

        Assert.NotNull(back);
        Assert.Equal(expires.UtcTicks, back.Expires.UtcTicks);
    }

    [Fact]
    public void Token_IsAcceptedByTheFrameworksTimeLimitedProtector()
    {
        var expires = DateTimeOffset.UtcNow.AddMinutes(3);
        var token = new SignedLinkProtector(_provider, Scope).Protect(Link(expires));
        var framework = _provider.CreateProtector([.. SignedLinkProtector.Purposes, Scope]).ToTimeLimitedDataProtector();

        framework.Unprotect(Base64Url.DecodeFromChars(token), out var frameworkExpiry);

        Assert.Equal(expires.UtcTicks, frameworkExpiry.UtcTicks);
    }

    [Fact]
    public void ExpiredToken_IsStillDecoded_SoTheMiddlewareCanAnswer410()
    {
        var protector = new SignedLinkProtector(_provider, Scope);
        var back = protector.Unprotect(protector.Protect(Link(DateTimeOffset.UtcNow.AddDays(-1))));
        Assert.NotNull(back);
    }

    [Fact]
    public void TokenOfAnotherPurpose_IsRefused()
    {
        var other = _provider.CreateProtector("SomethingElse").ToTimeLimitedDataProtector();
        var token = Base64Url.EncodeToString(other.Protect(SealedLinkCodec.Encode(Link(DateTimeOffset.UtcNow.AddMinutes(1))), DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Null(new SignedLinkProtector(_provider, Scope).Unprotect(token));
    }

    [Fact]
    public void TokenOfAnotherKeyRing_IsRefused()
    {
        var token = new SignedLinkProtector(DataProtectionProvider.Create("another-app"), Scope).Protect(Link(DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Null(new SignedLinkProtector(_provider, Scope).Unprotect(token));
    }

    [Fact]
    public void EverySingleBitFlip_IsRefused()
    {
        var protector = new SignedLinkProtector(_provider, Scope);
        var bytes = Base64Url.DecodeFromChars(protector.Protect(Link(DateTimeOffset.UtcNow.AddMinutes(5))));
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Null(protector.Unprotect(Base64Url.EncodeToString(flipped)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64url!")]
    [InlineData("AAAA")]
    [InlineData("////")]
    public void MalformedToken_IsRefused(string token)
    {
        Assert.Null(new SignedLinkProtector(_provider, Scope).Unprotect(token));
    }

    [Fact]
    public void OversizedToken_IsRefusedWithoutAnyCryptography()
    {
        var counting = new CountingProvider(_provider);
        var protector = new SignedLinkProtector(counting, Scope);

        Assert.Null(protector.Unprotect(new string('A', 100 * 1024)));
        Assert.Equal(0, counting.Unprotects);
    }

    /// <summary>Wraps a provider and counts every Unprotect of every protector created from it.</summary>
    private sealed class CountingProvider(IDataProtectionProvider inner) : IDataProtectionProvider
    {
        private int _unprotects;

        public int Unprotects => _unprotects;

        public IDataProtector CreateProtector(string purpose) => new Counting(this, inner.CreateProtector(purpose));

        private sealed class Counting(CountingProvider owner, IDataProtector inner) : IDataProtector
        {
            public IDataProtector CreateProtector(string purpose) => new Counting(owner, inner.CreateProtector(purpose));

            public byte[] Protect(byte[] plaintext) => inner.Protect(plaintext);

            public byte[] Unprotect(byte[] protectedData)
            {
                Interlocked.Increment(ref owner._unprotects);
                return inner.Unprotect(protectedData);
            }
        }
    }
}
