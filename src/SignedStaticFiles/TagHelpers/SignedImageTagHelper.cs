using Microsoft.AspNetCore.Razor.TagHelpers;

namespace SignedStaticFiles.TagHelpers;

/// <summary>
/// Renders <c>&lt;signed-img src="~/protected/…" /&gt;</c> as an <c>&lt;img&gt;</c> whose <c>src</c> is a
/// signed link to that file (PathBase included) with <c>referrerpolicy="no-referrer"</c>, keeping every
/// other attribute (<c>alt</c>, <c>class</c>, <c>width</c>, <c>height</c>, <c>loading</c>, <c>data-*</c>,
/// <c>aria-*</c>, …) as written. Registered with <c>@addTagHelper *, SignedStaticFiles</c>.
/// </summary>
/// <remarks>
/// When the request is signed in, the link is bound to the user (the folder's
/// <see cref="SignedStaticFilesOptions.UserIdClaimType"/> claim) unless <c>bind-to-user="false"</c>: a copied URL
/// then opens for nobody else. Every attribute of <see cref="SignedTagHelperBase"/> is honoured; a value the
/// folder cannot honour throws <see cref="InvalidOperationException"/> at render time, naming the attribute and
/// the view.
/// </remarks>
[HtmlTargetElement(TagName, TagStructure = TagStructure.WithoutEndTag)]
public sealed class SignedImageTagHelper : SignedTagHelperBase
{
    private const string TagName = "signed-img";

    /// <summary>Creates the tag helper; Razor resolves the generator from the request's container.</summary>
    /// <param name="generator">Mints the signed link.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is null.</exception>
    public SignedImageTagHelper(ISignedUrlGenerator generator)
        : base(generator)
    {
    }

    /// <summary>
    /// The app-relative, unencoded path of the image (<c>~/protected/kyc/42/front.jpg</c> or <c>/protected/…</c>),
    /// below a protected folder's <see cref="SignedStaticFilesOptions.RequestPath"/>. Required.
    /// </summary>
    [HtmlAttributeName("src")]
    public string? Src { get; set; }

    /// <inheritdoc />
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);

        var url = Mint(TagName, "src", Src, downloadName: null);

        output.TagName = "img";
        output.TagMode = TagMode.StartTagOnly;
        output.Attributes.Insert(0, new TagHelperAttribute("src", url));

        // The page URL (and whatever it carries) is not sent along with the image request; the
        // protected path's own Referrer-Policy header covers what the file itself links to.
        output.Attributes.SetAttribute("referrerpolicy", "no-referrer");
    }
}
