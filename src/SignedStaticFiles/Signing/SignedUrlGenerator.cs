using Microsoft.Extensions.Options;
using SignedStaticFiles.Watermarking;

namespace SignedStaticFiles.Signing;

internal sealed class SignedUrlGenerator(
    SignedLinkProtector protector,
    IOptions<SignedStaticFilesOptions> options,
    TimeProvider timeProvider) : ISignedUrlGenerator
{
    private readonly SignedStaticFilesOptions _options = options.Value;
    private readonly string _tokenPrefix = "?" + Uri.EscapeDataString(options.Value.TokenParameterName) + "=";

    public string GetSignedUrl(string path, TimeSpan? lifetime = null) =>
        GetSignedUrl(path, lifetime is null ? Defaults : new SignedUrlOptions { Lifetime = lifetime });

    public string GetSignedUrl(string path, SignedUrlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var appPath = SignedPath.ForSigning(path, nameof(path));
        var lifetime = options.Lifetime ?? _options.DefaultLifetime;
        if (lifetime <= TimeSpan.Zero || lifetime > _options.MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                lifetime,
                $"A link's lifetime must be positive and at most SignedStaticFilesOptions.MaxLifetime ({_options.MaxLifetime}).");
        }

        if (options.UserId is { Length: 0 })
        {
            throw new ArgumentException("SignedUrlOptions.UserId must not be empty: leave it null for a link that is not user-bound.", nameof(options));
        }

        if (options.DownloadFileName is { } name && !IsValidFileName(name))
        {
            throw new ArgumentException(
                "SignedUrlOptions.DownloadFileName must be 1 to 255 characters with no path separator or control character.",
                nameof(options));
        }

        if (options.WatermarkText is { } watermark)
        {
            if (WatermarkTemplate.Validate(watermark) is { } problem)
            {
                throw new ArgumentException($"SignedUrlOptions.WatermarkText {problem}.", nameof(options));
            }

            if (_options.Watermark.Mode == WatermarkMode.None)
            {
                throw new InvalidOperationException(
                    "SignedUrlOptions.WatermarkText needs SignedStaticFilesOptions.Watermark.Mode set to OnRequest or Always.");
            }
        }

        var token = protector.Protect(new SignedLink
        {
            Path = appPath,
            LinkId = SignedLinkCodec.NewLinkId(),
            Expires = timeProvider.GetUtcNow() + lifetime,
            UserId = options.UserId,
            DownloadFileName = options.DownloadFileName,
            SingleUse = options.SingleUse,
            WatermarkText = options.WatermarkText,
        });
        return SignedPath.Encode(appPath) + _tokenPrefix + token;
    }

    private static readonly SignedUrlOptions Defaults = new();

    private static bool IsValidFileName(string name) =>
        name.Length is > 0 and <= 255
        && name.AsSpan().IndexOfAny('/', '\\') < 0
        && !name.AsSpan().ContainsAnyInRange('\0', '\u001f')
        && !name.Contains('\u007f', StringComparison.Ordinal);
}
