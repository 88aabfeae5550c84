using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using SignedStaticFiles;

namespace KycPortal.Infrastructure;

// INTERIM: stands in for the package's <signed-img> until the tag-helper branch is merged into main;
// deleted (with its @addTagHelper line) as soon as it is. Same markup, same binding to the signed-in user.
[HtmlTargetElement("signed-img", TagStructure = TagStructure.WithoutEndTag)]
public sealed class InterimSignedImageTagHelper(ISignedUrlGenerator generator) : TagHelper
{
    [HtmlAttributeName("src")]
    public string? Src { get; set; }

    [HtmlAttributeName("lifetime")]
    public string? Lifetime { get; set; }

    [HtmlAttributeName("watermark")]
    public string? Watermark { get; set; }

    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var user = ViewContext.HttpContext.User;
        var url = generator.GetSignedUrl(Src!, new SignedUrlOptions
        {
            Lifetime = Lifetime is null ? null : TimeSpan.Parse(Lifetime, CultureInfo.InvariantCulture),
            UserId = user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null,
        });
        output.TagName = "img";
        output.TagMode = TagMode.StartTagOnly;
        output.Attributes.Insert(0, new TagHelperAttribute("src", ViewContext.HttpContext.Request.PathBase.ToUriComponent() + url));
        output.Attributes.SetAttribute("referrerpolicy", "no-referrer");
    }
}
