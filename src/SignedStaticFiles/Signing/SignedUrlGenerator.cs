using SignedStaticFiles.Folders;
using SignedStaticFiles.Revocation;
using SignedStaticFiles.Watermarking;

namespace SignedStaticFiles.Signing;

/// <summary>
/// Mints signed links. Owns every minting rule (path, folder, lifetime cap, option values, what the folder can
/// honour, the URL budget serving accepts), so that no link is handed out that serving would refuse.
/// </summary>
internal sealed class SignedUrlGenerator(
    SignedFolderRegistry folders, TimeProvider timeProvider, LinkReuseMemory reuse, RevocationList? revocations = null) : ISignedUrlGenerator
{
    private static readonly SignedUrlOptions Defaults = new();

    public string GetSignedUrl(string path, TimeSpan? lifetime = null) =>
        Mint(path ?? throw new ArgumentNullException(nameof(path)), lifetime is null ? Defaults : new SignedUrlOptions { Lifetime = lifetime }, out var url, out var message) is var fault and not MintFault.None
            ? throw ToException(fault, message, lifetimeParameter: "lifetime", lifetime)
            : url!;

    public string GetSignedUrl(string path, SignedUrlOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        return Mint(path, options, out var url, out var message) is var fault and not MintFault.None
            ? throw ToException(fault, message, lifetimeParameter: "options", options.Lifetime)
            : url!;
    }

    public bool TryGetSignedUrl(string path, SignedUrlOptions options, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? url)
    {
        if (path is null || options is null)
        {
            url = null;
            return false;
        }

        return Mint(path, options, out url, out _) == MintFault.None;
    }

    /// <summary>
    /// Mints for a viewer: binds the link to <paramref name="user"/> (by the folder's
    /// <see cref="SignedStaticFilesOptions.UserIdClaimType"/>) when <see cref="SignedUrlOptions.BindToUser"/> is on,
    /// the user is signed in and <see cref="SignedUrlOptions.UserId"/> is null. A signed-in user without that claim
    /// is a <see cref="MintFault.UserId"/>: falling back to an unbound link would hand out a bearer link nobody asked for.
    /// </summary>
    internal MintFault MintFor(System.Security.Claims.ClaimsPrincipal? user, string path, SignedUrlOptions options, out string? url, out string message) =>
        Mint(path, options, user, out url, out message);

    internal static SignedUrlOptions Copy(SignedUrlOptions options, string userId) => new()
    {
        Lifetime = options.Lifetime,
        UserId = userId,
        DownloadFileName = options.DownloadFileName,
        SingleUse = options.SingleUse,
        WatermarkText = options.WatermarkText,
        Redaction = options.Redaction,
        RedactionRegions = options.RedactionRegions,
        BindToUser = options.BindToUser,
    };

    /// <summary>
    /// Mints a URL (without PathBase) or says which input is at fault and why. Never throws on bad input.
    /// </summary>
    internal MintFault Mint(string path, SignedUrlOptions options, out string? url, out string message) =>
        Mint(path, options, viewer: null, out url, out message);

    /// <summary>The one minting path: the path and its folder are resolved once, for the viewer's binding and for every rule.</summary>
    private MintFault Mint(string path, SignedUrlOptions options, System.Security.Claims.ClaimsPrincipal? viewer, out string? url, out string message)
    {
        url = null;
        if (!SignedPath.TryForSigning(path, out var appPath, out message))
        {
            return MintFault.Path;
        }

        if (folders.ForPath(appPath) is not { } folder)
        {
            message = folders.Folders.Count == 1
                ? $"'{path}' is outside the protected folder '{folders.Folders[0].RequestPath}' (SignedStaticFilesOptions.RequestPath); only files below it can be signed."
                : $"'{path}' is outside the protected folders "
                    + string.Join(", ", folders.Folders.Select(f => "'" + f.RequestPath + "'")) + " (SignedStaticFilesOptions.RequestPath); only files below one of them can be signed.";
            return MintFault.Path;
        }

        var folderOptions = folder.Options;
        if (options.UserId is null && options.BindToUser && viewer?.Identity?.IsAuthenticated == true)
        {
            var claimType = folderOptions.UserIdClaimType;
            if (viewer.FindFirst(claimType)?.Value is not { Length: > 0 } viewerId)
            {
                message = $"the signed-in user has no '{claimType}' claim (SignedStaticFilesOptions.UserIdClaimType) to bind the link to; add that claim at sign-in, or mint a link that is not bound to the user.";
                return MintFault.UserId;
            }

            options = Copy(options, viewerId);
        }

        var lifetime = options.Lifetime ?? folderOptions.DefaultLifetime;
        if (lifetime <= TimeSpan.Zero || lifetime > folderOptions.MaxLifetime)
        {
            message = $"SignedUrlOptions.Lifetime ({lifetime}) must be positive and at most SignedStaticFilesOptions.MaxLifetime ({folderOptions.MaxLifetime}) of the folder '{folder.RequestPath}'.";
            return MintFault.Lifetime;
        }

        var now = timeProvider.GetUtcNow();
        if (lifetime > DateTimeOffset.MaxValue - now)
        {
            // A folder may leave MaxLifetime unbounded; an expiry past the calendar is a refusal, never an overflow.
            message = $"SignedUrlOptions.Lifetime ({lifetime}) would end after the last representable date; give a shorter lifetime.";
            return MintFault.Lifetime;
        }

        if (options.UserId is { } userId && (userId.Length == 0 || userId.Length > 1024))
        {
            message = "SignedUrlOptions.UserId must be 1 to 1024 characters: leave it null for a link that is not user-bound.";
            return MintFault.UserId;
        }

        if (options.DownloadFileName is { } name && !IsValidFileName(name))
        {
            message = "SignedUrlOptions.DownloadFileName must be 1 to 255 characters with no path separator or control character.";
            return MintFault.DownloadFileName;
        }

        if (options.WatermarkText is { } watermark)
        {
            if (WatermarkTemplate.Validate(watermark) is { } problem)
            {
                message = $"SignedUrlOptions.WatermarkText {problem}.";
                return MintFault.WatermarkText;
            }

            if (folderOptions.Watermark.Mode == WatermarkMode.None || folder.Engine is null)
            {
                message = $"SignedUrlOptions.WatermarkText cannot be honoured by the folder '{folder.RequestPath}': it needs an image engine (AddImageSharp()) and SignedStaticFilesOptions.Watermark.Mode set to OnRequest or Always.";
                return MintFault.WatermarkText;
            }

            if (folderOptions.Watermark.RequireForensicFields
                && (!watermark.Contains("{user}", StringComparison.Ordinal) || !watermark.Contains("{link}", StringComparison.Ordinal)))
            {
                message = $"SignedUrlOptions.WatermarkText must contain {{user}} and {{link}}: the folder '{folder.RequestPath}' requires forensic fields (WatermarkOptions.RequireForensicFields).";
                return MintFault.WatermarkText;
            }
        }

        if (options.Redaction is { } profile)
        {
            if (!folderOptions.Redactions.ContainsKey(profile))
            {
                message = $"SignedUrlOptions.Redaction '{profile}' is not a redaction profile of the folder '{folder.RequestPath}' (SignedStaticFilesOptions.Redactions).";
                return MintFault.Redaction;
            }

            if (folder.Engine is null)
            {
                message = $"SignedUrlOptions.Redaction cannot be honoured by the folder '{folder.RequestPath}': it needs an image engine (AddImageSharp()).";
                return MintFault.Redaction;
            }
        }

        if (options.RedactionRegions is { Count: > 0 } regions)
        {
            if (regions.Count > SealedLinkCodec.MaxRedactionRegions || regions.Any(r => r is null || !r.IsValid))
            {
                message = $"SignedUrlOptions.RedactionRegions must hold at most {SealedLinkCodec.MaxRedactionRegions} regions, each with X, Y, Width and Height fractions of 0 to 1 that stay inside the image and a defined Style.";
                return MintFault.RedactionRegions;
            }

            if (folder.Engine is null)
            {
                message = $"SignedUrlOptions.RedactionRegions cannot be honoured by the folder '{folder.RequestPath}': it needs an image engine (AddImageSharp()).";
                return MintFault.RedactionRegions;
            }
        }

        // Link reuse: a re-render inside the window gets the very URL it got before (the browser's copy serves
        // it); a link minted under the window lives up to the window longer than asked, so that a reuse still
        // leaves the caller at least the lifetime it asked for, never beyond the folder's cap. Single-use links are
        // never reused: a second mint must be a second use.
        var window = options.SingleUse ? TimeSpan.Zero : folderOptions.LinkReuseWindow;
        LinkReuseMemory.Key reuseKey = default;
        if (window > TimeSpan.Zero)
        {
            reuseKey = new LinkReuseMemory.Key(
                folder.Name, appPath, options.UserId, options.DownloadFileName, options.WatermarkText, options.Redaction,
                options.RedactionRegions is { Count: > 0 } sealedRegions ? Convert.ToBase64String(SealedLinkCodec.EncodeRegions(sealedRegions)) : null,
                lifetime);
            if (reuse.Find(reuseKey, now, window, lifetime, revocations is null ? null : revocations.IsRevoked) is { } reused)
            {
                url = reused;
                return MintFault.None;
            }
        }

        // Extended by the window, never past the folder's cap nor the last representable date (both checked for the
        // lifetime above, so neither difference is negative and nothing overflows).
        var extension = window > folderOptions.MaxLifetime - lifetime ? folderOptions.MaxLifetime - lifetime : window;
        var room = DateTimeOffset.MaxValue - now - lifetime;
        var expires = now + lifetime + (extension > room ? room : extension);
        var link = new SealedLink
        {
            Path = appPath,
            LinkId = SealedLinkCodec.NewLinkId(),
            // Past every revocation cutoff this node knows, so a link minted after a revocation returned works.
            IssuedAt = revocations?.IssueTime(now) ?? now,
            Expires = expires,
            UserId = options.UserId,
            DownloadFileName = options.DownloadFileName,
            SingleUse = options.SingleUse,
            WatermarkText = options.WatermarkText,
            Redaction = options.Redaction,
            RedactionRegions = options.RedactionRegions is { Count: > 0 } r ? r : null,
        };

        var candidate = Compose(folder, appPath, folder.Protector.Protect(link));
        if (candidate.Length > folderOptions.MaxUrlLength)
        {
            // Which input is at fault: the same path with nothing but the path sealed.
            var bare = Compose(folder, appPath, folder.Protector.Protect(new SealedLink
            {
                Path = appPath, LinkId = link.LinkId, IssuedAt = now, Expires = link.Expires,
            }));
            message = $"The signed URL would be {candidate.Length} characters, over SignedStaticFilesOptions.MaxUrlLength ({folderOptions.MaxUrlLength}) of the folder '{folder.RequestPath}', which servers and proxies would refuse; "
                + (bare.Length > folderOptions.MaxUrlLength ? "shorten the path." : "seal shorter option values.");
            return bare.Length > folderOptions.MaxUrlLength ? MintFault.PathTooLong : MintFault.OptionsTooLong;
        }

        if (window > TimeSpan.Zero)
        {
            reuse.Remember(reuseKey, candidate, link);
        }

        url = candidate;
        return MintFault.None;
    }

    private static string Compose(SignedFolder folder, string appPath, string token) =>
        string.Concat(SignedPath.Encode(appPath), folder.TokenQueryPrefix, token);

#pragma warning disable CA2208 // The parameter names are those of the public overloads that call this.
    internal static ArgumentException ToException(MintFault fault, string message, string lifetimeParameter, TimeSpan? lifetime) => fault switch
    {
        MintFault.Path or MintFault.PathTooLong => new ArgumentException(message, "path"),
        MintFault.Lifetime => new ArgumentOutOfRangeException(lifetimeParameter, lifetime, message),
        _ => new ArgumentException(message, "options"),
    };
#pragma warning restore CA2208

    private static bool IsValidFileName(string name) =>
        name.Length is > 0 and <= 255
        && name.AsSpan().IndexOfAny('/', '\\') < 0
        && !name.AsSpan().ContainsAnyInRange('\0', '\u001f')
        && !name.Contains('\u007f', StringComparison.Ordinal);
}
