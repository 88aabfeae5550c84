namespace SignedStaticFiles;

/// <summary>What a signed link carries besides its path. Every property is optional.</summary>
/// <remarks>
/// Every value is sealed inside the encrypted token: it can be neither read nor changed from the URL.
/// </remarks>
public sealed class SignedUrlOptions
{
    /// <summary>
    /// How long the link works. Default <see langword="null"/>: <see cref="SignedStaticFilesOptions.DefaultLifetime"/>.
    /// Must be positive and at most <see cref="SignedStaticFilesOptions.MaxLifetime"/>.
    /// </summary>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>
    /// Binds the link to this user: it is served only to a request whose user has this
    /// <c>NameIdentifier</c> claim. Default <see langword="null"/>: anyone holding the link.
    /// </summary>
    public string? UserId { get; init; }

    /// <summary>
    /// Serves the file as a download under this name (<c>Content-Disposition: attachment</c>).
    /// Default <see langword="null"/>: served inline.
    /// </summary>
    public string? DownloadFileName { get; init; }

    /// <summary>
    /// Makes the link work once: the first <c>GET</c> consumes it and is served whole (no ranges, no
    /// conditional answers); any later use, on any node sharing the <see cref="ISingleUseLinkStore"/>, answers
    /// 410. <c>HEAD</c> does not consume it. Default <see langword="false"/>.
    /// </summary>
    public bool SingleUse { get; init; }

    /// <summary>
    /// Stamps this text on images served through the link (a template: <c>{user}</c>, <c>{utc:format}</c>,
    /// <c>{link}</c>, see <see cref="WatermarkOptions.Text"/>). Default <see langword="null"/>: the folder's
    /// <see cref="WatermarkOptions.Mode"/> decides. At most 200 characters, no control characters; needs
    /// <see cref="WatermarkOptions.Mode"/> set to <see cref="WatermarkMode.OnRequest"/> or
    /// <see cref="WatermarkMode.Always"/>.
    /// </summary>
    public string? WatermarkText { get; init; }

    /// <summary>
    /// The name of one of the folder's redaction profiles (<see cref="SignedStaticFilesOptions.Redactions"/>):
    /// images served through the link have those regions masked. Default <see langword="null"/>. An unknown
    /// name fails at mint (<see cref="ArgumentException"/>, <c>ParamName</c> <c>"options"</c>).
    /// </summary>
    public string? Redaction { get; init; }

    /// <summary>
    /// Regions masked on images served through this link, chosen per document (by a reviewer, say), sealed in
    /// the token. At most 16, each valid (<see cref="RedactionRegion.IsValid"/>). Default <see langword="null"/>.
    /// Applied after the <see cref="Redaction"/> profile's regions.
    /// </summary>
    public IReadOnlyList<RedactionRegion>? RedactionRegions { get; init; }

    /// <summary>
    /// Read by the APIs that know the signed-in user (<c>HttpContext.GetSignedUrl</c>, <c>IUrlHelper.SignedContent</c>,
    /// the tag helpers and components): when <see langword="true"/> (the default) and <see cref="UserId"/> is null,
    /// the link is bound to the signed-in user (the folder's <see cref="SignedStaticFilesOptions.UserIdClaimType"/>);
    /// <see langword="false"/> mints a link anyone holding it can open. <see cref="ISignedUrlGenerator"/> itself never
    /// binds a user that <see cref="UserId"/> does not name.
    /// </summary>
    public bool BindToUser { get; init; } = true;
}
