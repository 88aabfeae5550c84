using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace SignedStaticFiles.Signing;

/// <summary>Turns a <see cref="SealedLink"/> into an opaque token and back, with DataProtection.</summary>
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
    /// <summary>
    /// The DataProtection purpose chain, before the folder's scope; bump the version to invalidate every link
    /// ever minted. v2: links are scoped to their folder (a link of one app or folder never opens another,
    /// even on a shared key ring and application name) and carry their issue time.
    /// </summary>
    internal static readonly string[] Purposes = ["SignedStaticFiles", "Links.v2"];
    internal const string TimeLimitedPurpose = "Microsoft.AspNetCore.DataProtection.TimeLimitedDataProtector.v1";

    /// <summary>Tokens longer than this are refused before any decoding (docs/security-model.md, T12): real ones are far shorter.</summary>
    internal const int MaxTokenLength = 8000;
    private const int ExpiryHeaderLength = 8;

    private readonly ITimeLimitedDataProtector _minter;
    private readonly IDataProtector _validator;
    private readonly SignedLinkCache _cache;

    public SignedLinkProtector(IDataProtectionProvider provider, string scope)
        : this(provider, scope, TimeProvider.System)
    {
    }

    /// <param name="provider">The app's DataProtection.</param>
    /// <param name="scope">The folder's link scope, the last purpose of the chain.</param>
    /// <param name="timeProvider">The clock of the cache of validated tokens.</param>
    /// <param name="keyManager">DataProtection's key manager, when it has one: a key ring change (a key created or revoked) empties the cache.</param>
    public SignedLinkProtector(IDataProtectionProvider provider, string scope, TimeProvider timeProvider, IKeyManager? keyManager = null)
    {
        var protector = provider.CreateProtector([.. Purposes, scope]);
        _minter = protector.ToTimeLimitedDataProtector();
        _validator = protector.CreateProtector(TimeLimitedPurpose);
        _cache = new SignedLinkCache(Unprotect, timeProvider, keyManager is null ? null : new KeyRingGeneration(keyManager).Current);
    }

    public string Protect(SealedLink link) =>
        Base64Url.EncodeToString(_minter.Protect(SealedLinkCodec.Encode(link), link.Expires));

    /// <summary>
    /// The request path's <see cref="Unprotect"/>: the same answer, remembered for a repeated token for
    /// at most <see cref="SignedLinkCache.EntryLifetime"/> (see <see cref="SignedLinkCache"/>).
    /// The alphabet is checked on a miss only (by <see cref="Unprotect"/>): a hit is a token equal to one that passed it.
    /// </summary>
    public SealedLink? UnprotectCached(ReadOnlySpan<char> token) =>
        token.Length is 0 or > MaxTokenLength ? null : _cache.Unprotect(token);

    /// <summary>
    /// The characters a token may hold: base64url without padding. <c>Base64Url</c> decoding skips whitespace,
    /// so without this check <c>%20</c>, <c>%0A</c> or <c>+</c> inserted in a genuine token would still validate
    /// (a malleable token: two URLs for one link, and a way around naive log or WAF matching).
    /// </summary>
    internal static readonly System.Buffers.SearchValues<char> TokenAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>
    /// A marker object that changes whenever DataProtection's key ring changes, from the key manager's public
    /// change token (no internal DataProtection type involved).
    /// </summary>
    private sealed class KeyRingGeneration(IKeyManager keyManager)
    {
        private Generation _current = new(keyManager.GetCacheExpirationToken());

        public object Current()
        {
            var current = Volatile.Read(ref _current);
            if (current.Token.IsCancellationRequested)
            {
                current = new Generation(keyManager.GetCacheExpirationToken());
                Volatile.Write(ref _current, current);
            }

            return current;
        }

        private sealed record Generation(CancellationToken Token);
    }

    /// <summary>
    /// Returns the link sealed in <paramref name="token"/>, or <see langword="null"/> when the token is
    /// malformed, oversized, tampered, of another purpose, or of a key the ring does not hold or revoked.
    /// Expiry is not judged here.
    /// </summary>
    public SealedLink? Unprotect(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty || token.Length > MaxTokenLength || token.ContainsAnyExcept(TokenAlphabet) || !Base64Url.IsValid(token))
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

        return SealedLinkCodec.Decode(plaintext.AsSpan(ExpiryHeaderLength), new DateTimeOffset((long)ticks, TimeSpan.Zero));
    }
}
