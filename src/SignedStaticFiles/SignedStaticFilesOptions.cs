using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace SignedStaticFiles;

/// <summary>
/// Options of the protected folder served by <c>UseSignedStaticFiles</c>. Bound from the configuration
/// section <c>"SignedStaticFiles"</c> when present, then from the delegate given to
/// <c>AddSignedStaticFiles</c>, and validated when the application starts.
/// </summary>
public sealed class SignedStaticFilesOptions
{
    /// <summary>The configuration section bound to these options: <c>"SignedStaticFiles"</c>.</summary>
    public const string SectionName = "SignedStaticFiles";

    /// <summary>
    /// The URL prefix served by the middleware. Default <c>/protected</c>. Must not be empty or <c>/</c>.
    /// </summary>
    public PathString RequestPath { get; set; } = new("/protected");

    /// <summary>
    /// The protected folder: absolute, or relative to the content root. Default <c>App_Data/protected</c>.
    /// It must exist at startup and must not overlap the web root (the public static-files middleware
    /// would serve it without a token). Ignored when <see cref="FileProvider"/> is set.
    /// </summary>
    public string RootPath { get; set; } = "App_Data/protected";

    /// <summary>
    /// A file provider that replaces <see cref="RootPath"/>. Default <see langword="null"/>. The middleware
    /// still refuses dot-files, traversal segments and backslashes before asking it.
    /// </summary>
    public IFileProvider? FileProvider { get; set; }

    /// <summary>The lifetime of a link minted without one. Default 5 minutes.</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest lifetime a link may be minted with; asking for more throws
    /// <see cref="ArgumentOutOfRangeException"/>. Default 1 day.
    /// </summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The query-string parameter that carries the token. Default <c>token</c>.</summary>
    public string TokenParameterName { get; set; } = "token";

    /// <summary>
    /// The <c>Cache-Control</c> header of every response of the protected path. Default
    /// <c>private, no-store</c>: a shared cache must never keep a private file. <c>private, max-age=N</c> lets the
    /// browser keep a copy: the <c>max-age</c> sent is at most the whole seconds the link has left, and refusals are
    /// sent with <c>max-age=0</c>. <c>public</c> and <c>s-maxage</c> stop the app at startup.
    /// </summary>
    public string CacheControl { get; set; } = "private, no-store";

    /// <summary>
    /// Maps file extensions to content types. Default: the framework's
    /// <see cref="FileExtensionContentTypeProvider"/>.
    /// </summary>
    public IContentTypeProvider ContentTypeProvider { get; set; } = new FileExtensionContentTypeProvider();

    /// <summary>
    /// Whether files whose content type is unknown are served (with <see cref="DefaultContentType"/>).
    /// Default <see langword="false"/>: they answer 404, as with <c>UseStaticFiles</c>.
    /// </summary>
    public bool ServeUnknownFileTypes { get; set; }

    /// <summary>
    /// The content type of files of unknown type when <see cref="ServeUnknownFileTypes"/> is on.
    /// Default <see langword="null"/>: no <c>Content-Type</c> header, as with <c>UseStaticFiles</c>
    /// (<c>X-Content-Type-Options: nosniff</c> still stops browsers from guessing an executable type).
    /// </summary>
    public string? DefaultContentType { get; set; }

    /// <summary>
    /// Watermarking of served images. Default: <see cref="WatermarkMode.None"/>.
    /// </summary>
    public WatermarkOptions Watermark { get; set; } = new();

    /// <summary>Hooks called after every decision of the middleware (the audit trail). Default: no-op.</summary>
    public SignedStaticFilesEvents Events { get; set; } = new();

    /// <summary>
    /// A <see cref="SignedStaticFilesEvents"/> subclass resolved from the request's services for every request
    /// (so it can take scoped services such as a database context), used instead of <see cref="Events"/>.
    /// Default <see langword="null"/>. Like <c>JwtBearerOptions.EventsType</c>: register the type in DI yourself.
    /// </summary>
    public Type? EventsType { get; set; }

    /// <summary>
    /// The claim that identifies a user: what a bound link records (<see cref="SignedUrlOptions.UserId"/> from the
    /// signed-in user) and what serving checks it against. Default <see cref="System.Security.Claims.ClaimTypes.NameIdentifier"/>.
    /// </summary>
    public string UserIdClaimType { get; set; } = System.Security.Claims.ClaimTypes.NameIdentifier;

    /// <summary>
    /// What a link is scoped to: a link of one scope never opens a folder of another, even on a shared key ring
    /// and application name. Default <see langword="null"/>: the folder's name, its <see cref="RequestPath"/> and
    /// its root as configured (the <see cref="RootPath"/> string, or the store's bucket/container and prefix).
    /// Farm nodes deployed at different absolute paths set the same value; per-tenant deployments of one app set
    /// different ones.
    /// </summary>
    public string? LinkScope { get; set; }

    /// <summary>
    /// Minting the same path with the same options for the same user again within this window returns the same
    /// URL, so a re-rendered page reuses the browser's copy when <see cref="CacheControl"/> allows one. Single-use
    /// links are never reused; a reused link never lives longer than asked plus this window, nor beyond
    /// <see cref="MaxLifetime"/>; a revocation empties the memory. Default <see cref="TimeSpan.Zero"/> (off).
    /// </summary>
    public TimeSpan LinkReuseWindow { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The longest signed URL minted, in characters after percent-encoding (path and query, without PathBase).
    /// Minting a longer one throws, so that no link is handed out that Kestrel (8 KiB request line) or a
    /// common proxy would refuse; serving refuses tokens longer than this too. Default 4096; 512 to 8000.
    /// </summary>
    public int MaxUrlLength { get; set; } = 4096;

    /// <summary>
    /// Named redaction profiles: regions masked on images served through a link minted with
    /// <see cref="SignedUrlOptions.Redaction"/> set to the profile's name (e.g. <c>"support"</c> masking the
    /// document number). Needs an image engine (<c>AddImageSharp()</c>). Default: empty.
    /// </summary>
    public IDictionary<string, IList<RedactionRegion>> Redactions { get; set; } =
        new Dictionary<string, IList<RedactionRegion>>(StringComparer.Ordinal);
}
