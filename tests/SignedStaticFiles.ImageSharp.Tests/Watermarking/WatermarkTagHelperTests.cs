using SignedStaticFiles.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.TagHelpers;

namespace SignedStaticFiles.ImageSharp.Tests.Watermarking;

/// <summary><c>&lt;signed-img watermark="…"&gt;</c> seals the watermark text in the token it renders.</summary>
public sealed class WatermarkTagHelperTests
{
    private static readonly string[] Bound = ["src", "lifetime", "bind-to-user", "single-use", "watermark"];

    [Fact]
    public void SignedImg_WatermarkAttribute_IsSealedInToken_AndNotRendered()
    {
        var kit = new TagHelperTestKit(o => o.Watermark.Mode = WatermarkMode.OnRequest, addOns: folder => folder.AddImageSharp());
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound,
            ("src", "~/protected/kyc/42/front.jpg"), ("watermark", "KYC review {user}"), ("alt", "ID front"));

        new SignedImageTagHelper(kit.Generator)
        {
            Src = "~/protected/kyc/42/front.jpg",
            Watermark = "KYC review {user}",
            ViewContext = TagHelperTestKit.View(),
        }.Process(context, output);

        var src = (string)Assert.Single(output.Attributes, a => a.Name == "src").Value;
        Assert.Equal("KYC review {user}", kit.ReadToken(src).WatermarkText);
        Assert.DoesNotContain("KYC review", TagHelperTestKit.Render(output), StringComparison.Ordinal);
    }

    [Fact]
    public void SignedImg_WatermarkWhileTheFolderHasNoWatermarking_NamesTheAttributeAndTheView()
    {
        var kit = new TagHelperTestKit();
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound,
            ("src", "~/protected/a.jpg"), ("watermark", "x"));

        var error = Assert.Throws<InvalidOperationException>(() => new SignedImageTagHelper(kit.Generator)
        {
            Src = "~/protected/a.jpg",
            Watermark = "x",
            ViewContext = TagHelperTestKit.View(),
        }.Process(context, output));

        Assert.Contains("'watermark'", error.Message, StringComparison.Ordinal);
        Assert.Contains(TagHelperTestKit.ViewPath, error.Message, StringComparison.Ordinal);
    }
}
