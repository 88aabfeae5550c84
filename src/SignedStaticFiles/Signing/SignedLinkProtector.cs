using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement.Internal;

namespace SignedStaticFiles.Signing;

/// <summary>Turns a <see cref="SignedLink"/> into an opaque token and back, with DataProtection.</summary>
/// <remarks>
/// Minting uses the framework's <see cref="ITimeLimitedDataProtector"/> as it is. Validation unprotects
/// with the very same purpose chain (ours + the time-limited protector's own <c>…TimeLimitedDataProtector.v1</c>)
/// and reads the 8-byte expiry header itself, because <c>ITimeLimitedDataProtector.Unprotect</c> reads the
/// wall clock (we must honour the <see cref="TimeProvider"/> in DI) and folds "expired" into the same
/// exception as "tampered" (we answer 410 for a genuine expired link, 403 for a forgery). A test mints with
/// the framework and validates here, and the other way round, so a format change cannot pass unnoticed.
/// </remarks>
internal sealed class SignedLinkProtector
{
    /// <summary>The DataProtection purpose chain; bump the version to invalidate every link ever minted.</summary>
    internal static readonly string[] Purposes = ["SignedStaticFiles", "Links.v1"];
    internal const string TimeLimitedPurpose = "Microsoft.AspNetCore.DataProtection.TimeLimitedDataProtector.v1";

    /// <summary>Tokens longer than this are refused before any decoding (T12): real ones are far shorter.</summary>
    internal const int MaxTokenLength = 4096;
    private const int ExpiryHeaderLength = 8;

    private readonly ITimeLimitedDataProtector _minter;
    private readonly IDataProtector _validator;
    private readonly SignedLinkCache _cache;

    public SignedLinkProtector(IDataProtectionProvider provider)
        : this(provider, TimeProvider.System)
    {
    }

    /// <param name="provider">The app's DataProtection.</param>
    /// <param name="timeProvider">The clock of the cache of validated tokens.</param>
    /// <param name="keyRings">DataProtection's key ring, when it has one: a new ring (a key created or revoked) empties the cache.</param>
    public SignedLinkProtector(IDataProtectionProvider provider, TimeProvider timeProvider, IKeyRingProvider? keyRings = null)
    {
        var protector = provider.CreateProtector(Purposes);
        _minter = protector.ToTimeLimitedDataProtector();
        _validator = protector.CreateProtector(TimeLimitedPurpose);
        _cache = new SignedLinkCache(token => Unprotect(token), timeProvider, keyRings is null ? null : keyRings.GetCurrentKeyRing);
    }

    public string Protect(SignedLink link) =>
        Base64Url.EncodeToString(_minter.Protect(SignedLinkCodec.Encode(link), link.Expires));

    /// <summary>
    /// The request path's <see cref="Unprotect"/>: the same answer, remembered for a repeated token for
    /// at most <see cref="SignedLinkCache.EntryLifetime"/> (see <see cref="SignedLinkCache"/>).
    /// </summary>
    public SignedLink? UnprotectCached(string token) =>
        token.Length is 0 or > MaxTokenLength ? null : _cache.Unprotect(token);

    /// <summary>
    /// Returns the link sealed in <paramref name="token"/>, or <see langword="null"/> when the token is
    /// malformed, oversized, tampered, of another purpose, or of a key the ring does not hold or revoked.
    /// Expiry is not judged here.
    /// </summary>
    public SignedLink? Unprotect(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty || token.Length > MaxTokenLength || !Base64Url.IsValid(token))
        {
            return null;
        }

        byte[] plaintext;
        try
        {
            plaintext = _validator.Unprotect(Base64Url.DecodeFromChars(token));
        }
        catch (CryptographicException)
        {
            return null;
        }

        if (plaintext.Length < ExpiryHeaderLength)
        {
            return null;
        }

        var ticks = BinaryPrimitives.ReadUInt64BigEndian(plaintext);
        if (ticks > (ulong)DateTimeOffset.MaxValue.UtcTicks)
        {
            return null;
        }

        return SignedLinkCodec.Decode(plaintext.AsSpan(ExpiryHeaderLength), new DateTimeOffset((long)ticks, TimeSpan.Zero));
    }
}
