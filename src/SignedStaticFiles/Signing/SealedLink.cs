namespace SignedStaticFiles.Signing;

/// <summary>What a token says, once unprotected: everything here was sealed by the server.</summary>
internal sealed class SealedLink
{
    /// <summary>The PathBase-relative, unencoded path the link is for (<c>/protected/kyc/42/front.jpg</c>).</summary>
    public required string Path { get; init; }

    /// <summary>A random identifier (12 bytes, base64url): the audit handle, and the key of single-use and revocation records.</summary>
    public required string LinkId { get; init; }

    /// <summary>When the link was minted, to the millisecond: revocations cut links issued up to their instant.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>The instant after which the link answers 410.</summary>
    public required DateTimeOffset Expires { get; init; }

    /// <summary>The user id (the folder's <see cref="SignedStaticFilesOptions.UserIdClaimType"/> value) of the only user the link is served to, if any.</summary>
    public string? UserId { get; init; }

    /// <summary>The file name of a download (<c>Content-Disposition: attachment</c>), if any.</summary>
    public string? DownloadFileName { get; init; }

    /// <summary>The text to stamp on images served through the link, if any.</summary>
    public string? WatermarkText { get; init; }

    /// <summary>Whether the link works only once.</summary>
    public bool SingleUse { get; init; }

    /// <summary>The name of the folder's redaction profile to apply, if any.</summary>
    public string? Redaction { get; init; }

    /// <summary>Regions sealed in the link itself, if any.</summary>
    public IReadOnlyList<RedactionRegion>? RedactionRegions { get; init; }

    /// <summary>Whether serving the link needs the image engine (a stamp or a redaction).</summary>
    public bool AsksForVariant => WatermarkText is not null || Redaction is not null || RedactionRegions is { Count: > 0 };
}
