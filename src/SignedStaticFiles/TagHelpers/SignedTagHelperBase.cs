using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.TagHelpers;

/// <summary>
/// The attributes <c>&lt;signed-img&gt;</c> and <c>&lt;a signed-href&gt;</c> share, and the one way they mint: the
/// generator applies every rule of the folder the path belongs to; this class only maps the rule that failed to
/// the attribute that carried the value, and fails the render naming the attribute and the view. A value the
/// package cannot honour never renders a silently weaker link.
/// </summary>
public abstract class SignedTagHelperBase : TagHelper
{
    private protected const string LifetimeAttribute = "lifetime";
    private protected const string BindToUserAttribute = "bind-to-user";
    private protected const string SingleUseAttribute = "single-use";
    private protected const string WatermarkAttribute = "watermark";
    private protected const string RedactionAttribute = "redaction";

    private readonly ISignedUrlGenerator _generator;

    /// <summary>Creates the tag helper; Razor resolves the generator from the request's container.</summary>
    /// <param name="generator">Mints the signed link.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is null.</exception>
    private protected SignedTagHelperBase(ISignedUrlGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
    }

    /// <summary>
    /// How long the link works, as a <see cref="TimeSpan"/> string parsed with the invariant culture at render
    /// time (<c>"00:02:00"</c> for two minutes). Default <see langword="null"/>: the folder's
    /// <see cref="SignedStaticFilesOptions.DefaultLifetime"/>. Must be positive and at most its
    /// <see cref="SignedStaticFilesOptions.MaxLifetime"/>.
    /// </summary>
    [HtmlAttributeName(LifetimeAttribute)]
    public string? Lifetime { get; set; }

    /// <summary>
    /// Whether the link is bound to the signed-in user (the folder's <see cref="SignedStaticFilesOptions.UserIdClaimType"/>
    /// claim). Default <see langword="true"/>; an anonymous request's links are never bound.
    /// </summary>
    [HtmlAttributeName(BindToUserAttribute)]
    public bool BindToUser { get; set; } = true;

    /// <summary>
    /// Whether the link works once (<see cref="SignedUrlOptions.SingleUse"/>): one GET is served whole, any later
    /// use answers 410. Default <see langword="false"/>.
    /// </summary>
    [HtmlAttributeName(SingleUseAttribute)]
    public bool SingleUse { get; set; }

    /// <summary>
    /// The text stamped on images served through the link (<see cref="SignedUrlOptions.WatermarkText"/>, sealed in
    /// the token): a template with <c>{user}</c>, <c>{utc:format}</c> and <c>{link}</c>. Default <see langword="null"/>:
    /// the folder's <see cref="WatermarkOptions.Mode"/> and <see cref="WatermarkOptions.Text"/> decide. The folder
    /// needs an image engine.
    /// </summary>
    [HtmlAttributeName(WatermarkAttribute)]
    public string? Watermark { get; set; }

    /// <summary>
    /// The name of one of the folder's redaction profiles (<see cref="SignedUrlOptions.Redaction"/>): images served
    /// through the link have those regions masked. Default <see langword="null"/>.
    /// </summary>
    [HtmlAttributeName(RedactionAttribute)]
    public string? Redaction { get; set; }

    /// <summary>The view being rendered: its request (PathBase, user) and its path for error messages. Set by Razor.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    /// <summary>Returns <c>{PathBase}{url}</c> for the view's request, or throws naming the attribute at fault.</summary>
    private protected string Mint(string tag, string pathAttribute, string? path, string? downloadName)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw Error(tag, pathAttribute, $"the value is {(path is null ? "missing" : "empty")}: give the app-relative path of a file below a protected folder, such as '~/protected/file.jpg'.");
        }

        TimeSpan? lifetime = null;
        if (Lifetime is not null)
        {
            if (!TimeSpan.TryParse(Lifetime, CultureInfo.InvariantCulture, out var parsed))
            {
                throw Error(tag, LifetimeAttribute, $"'{Lifetime}' is not a TimeSpan; write it as [d.]hh:mm:ss, such as \"00:02:00\" for two minutes.");
            }

            lifetime = parsed;
        }

        var options = new SignedUrlOptions
        {
            Lifetime = lifetime,
            BindToUser = BindToUser,
            SingleUse = SingleUse,
            WatermarkText = Watermark,
            Redaction = Redaction,
            DownloadFileName = downloadName,
        };
        var http = ViewContext?.HttpContext;
        string? url;
        if (_generator is SignedUrlGenerator ours)
        {
            var fault = ours.MintFor(http?.User, path, options, out url, out var message);
            if (fault != MintFault.None)
            {
                throw Error(tag, AttributeOf(fault, pathAttribute, downloadName), message);
            }
        }
        else
        {
            // An application's own generator: only the public contract is known.
            var user = http?.User;
            var userId = BindToUser && user?.Identity?.IsAuthenticated == true ? user.FindFirst(ClaimTypes.NameIdentifier)?.Value : null;
            try
            {
                url = _generator.GetSignedUrl(path, new SignedUrlOptions
                {
                    Lifetime = lifetime, UserId = userId, SingleUse = SingleUse, WatermarkText = Watermark, Redaction = Redaction, DownloadFileName = downloadName,
                });
            }
            catch (ArgumentException e)
            {
                throw Error(tag, e.ParamName == "path" ? pathAttribute : LifetimeAttribute, e.Message, e);
            }
        }

        // The generator returns the PathBase-relative URL (the token binds that path, so links survive proxies and
        // virtual directories); the browser needs the PathBase in front.
        var pathBase = http?.Request.PathBase ?? PathString.Empty;
        return pathBase.HasValue ? pathBase.ToUriComponent() + url : url!;
    }

    private string AttributeOf(MintFault fault, string pathAttribute, string? downloadName) => fault switch
    {
        MintFault.Lifetime => LifetimeAttribute,
        MintFault.UserId => BindToUserAttribute,
        MintFault.DownloadFileName => "download-name",
        MintFault.WatermarkText => WatermarkAttribute,
        MintFault.Redaction or MintFault.RedactionRegions => RedactionAttribute,
        MintFault.OptionsTooLong => Watermark is not null ? WatermarkAttribute : downloadName is not null ? "download-name" : pathAttribute,
        _ => pathAttribute,
    };

    /// <summary>The render-time error: names the tag, the attribute and the view so the author finds the line at once.</summary>
    private protected InvalidOperationException Error(string tag, string attribute, string problem, Exception? inner = null)
    {
        var view = ViewContext?.ExecutingFilePath ?? ViewContext?.View?.Path ?? "(unknown view)";
        return new InvalidOperationException($"The '{attribute}' attribute of <{tag}> in view '{view}' is invalid: {problem}", inner);
    }
}
