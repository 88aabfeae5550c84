using SignedStaticFiles.TagHelpers;
using SignedStaticFiles.Tests.TagHelpers;

namespace SignedStaticFiles.Tests.SingleUse;

/// <summary><c>&lt;signed-img single-use="true"&gt;</c> seals the single-use flag in the token it renders.</summary>
public sealed class SingleUseTagHelperTests
{
    private static readonly string[] Bound = ["src", "lifetime", "bind-to-user", "single-use"];
    private readonly TagHelperTestKit _kit = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SignedImg_SingleUseAttribute_IsSealedInToken_AndNotRendered(bool singleUse)
    {
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound,
            ("src", "~/protected/kyc/42/front.jpg"), ("single-use", singleUse), ("alt", "ID front"));

        new SignedImageTagHelper(_kit.Generator)
        {
            Src = "~/protected/kyc/42/front.jpg",
            SingleUse = singleUse,
            ViewContext = TagHelperTestKit.View(),
        }.Process(context, output);

        var src = (string)Assert.Single(output.Attributes, a => a.Name == "src").Value;
        Assert.Equal(singleUse, _kit.ReadToken(src).SingleUse);
        Assert.DoesNotContain("single-use", TagHelperTestKit.Render(output), StringComparison.Ordinal);
    }
}
