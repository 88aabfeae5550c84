using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Options;

namespace SignedStaticFiles.TagHelpers;

/// <summary>
/// Renders <c>&lt;signed-img src="~/protected/…" /&gt;</c> as an <c>&lt;img&gt;</c> whose <c>src</c> is a
/// signed link to that file (PathBase included) with <c>referrerpolicy="no-referrer"</c>, keeping every
/// other attribute (<c>alt</c>, <c>class</c>, <c>width</c>, <c>height</c>, <c>loading</c>, <c>data-*</c>,
/// <c>aria-*</c>, …) as written. Registered with <c>@addTagHelper *, SignedStaticFiles</c>.
/// </summary>
/// <remarks>
/// When the request is signed in, the link is bound to the user's <c>NameIdentifier</c> claim
/// (<see cref="SignedUrlOptions.UserId"/>) unless <c>bind-to-user="false"</c>: a copied URL then opens
/// for nobody else. Bad values (missing or empty <c>src</c>, an absolute URL, a path outside
/// <see cref="SignedStaticFilesOptions.RequestPath"/>, an unparsable lifetime or one above
/// <see cref="SignedStaticFilesOptions.MaxLifetime"/>) throw <see cref="InvalidOperationException"/> at
/// render time, naming the attribute and the view.
/// </remarks>
[HtmlTargetElement(TagName, TagStructure = TagStructure.WithoutEndTag)]
public sealed class SignedImageTagHelper : TagHelper
{
    private const string TagName = "signed-img";

    private readonly ISignedUrlGenerator _generator;
    private readonly SignedStaticFilesOptions _options;

    /// <summary>Creates the tag helper; Razor resolves the services from the request's container.</summary>
    /// <param name="generator">Mints the signed link.</param>
    /// <param name="options">Tells the protected <see cref="SignedStaticFilesOptions.RequestPath"/> and <see cref="SignedStaticFilesOptions.MaxLifetime"/>.</param>
    public SignedImageTagHelper(ISignedUrlGenerator generator, IOptions<SignedStaticFilesOptions> options)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(options);
        _generator = generator;
        _options = options.Value;
    }

    /// <summary>
    /// The app-relative, unencoded path of the image (<c>~/protected/kyc/42/front.jpg</c> or
    /// <c>/protected/…</c>), below <see cref="SignedStaticFilesOptions.RequestPath"/>. Required.
    /// </summary>
    [HtmlAttributeName("src")]
    public string? Src { get; set; }

    /// <summary>
    /// How long the link works, as a <see cref="TimeSpan"/> string parsed with the invariant culture at
    /// render time (<c>"00:02:00"</c> for two minutes). Default <see langword="null"/>:
    /// <see cref="SignedStaticFilesOptions.DefaultLifetime"/>. Must be positive and at most
    /// <see cref="SignedStaticFilesOptions.MaxLifetime"/>.
    /// </summary>
    [HtmlAttributeName(SignedTagLink.LifetimeAttribute)]
    public string? Lifetime { get; set; }

    /// <summary>
    /// Whether the link is bound to the signed-in user (their <c>NameIdentifier</c> claim). Default
    /// <see langword="true"/>; it has no effect on an anonymous request, whose links are never bound.
    /// </summary>
    [HtmlAttributeName(SignedTagLink.BindToUserAttribute)]
    public bool BindToUser { get; set; } = true;

    /// <summary>
    /// Whether the link works once (<see cref="SignedUrlOptions.SingleUse"/>): the browser's one GET is served
    /// whole, any later use answers 410. Default <see langword="false"/>. A page showing the image twice needs
    /// two tags; a reload mints a new link.
    /// </summary>
    [HtmlAttributeName("single-use")]
    public bool SingleUse { get; set; }

    /// <summary>
    /// The text stamped on the image (<see cref="SignedUrlOptions.WatermarkText"/>, sealed in the token): a
    /// template with <c>{user}</c>, <c>{utc:format}</c> and <c>{link}</c>. Default <see langword="null"/>: the
    /// folder's <see cref="WatermarkOptions.Mode"/> and <see cref="WatermarkOptions.Text"/> decide.
    /// </summary>
    [HtmlAttributeName("watermark")]
    public string? Watermark { get; set; }

        /// <summary>The view being rendered: its request (PathBase, user) and its path for error messages. Set by Razor.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    /// <inheritdoc />
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);

        var url = SignedTagLink.Mint(_generator, _options, ViewContext, TagName, "src", Src, Lifetime, BindToUser, singleUse: SingleUse, watermarkText: Watermark);

        output.TagName = "img";
        output.TagMode = TagMode.StartTagOnly;
        output.Attributes.Insert(0, new TagHelperAttribute("src", url));

        // The page URL (and whatever it carries) is not sent along with the image request; the
        // protected path's own Referrer-Policy header covers what the file itself links to.
        output.Attributes.SetAttribute("referrerpolicy", "no-referrer");
    }
}
