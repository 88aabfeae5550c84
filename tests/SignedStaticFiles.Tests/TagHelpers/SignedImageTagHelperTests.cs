using Microsoft.AspNetCore.Razor.TagHelpers;
using SignedStaticFiles.TagHelpers;

namespace SignedStaticFiles.Tests.TagHelpers;

public sealed class SignedImageTagHelperTests
{
    private static readonly string[] Bound = ["src", "lifetime", "bind-to-user"];
    private readonly TagHelperTestKit _kit = new();

    private SignedImageTagHelper Helper(string? src, string? lifetime = null, bool bindToUser = true, Microsoft.AspNetCore.Mvc.Rendering.ViewContext? view = null) =>
        new(_kit.Generator)
        {
            Src = src,
            Lifetime = lifetime,
            BindToUser = bindToUser,
            ViewContext = view ?? TagHelperTestKit.View(),
        };

    private static TagHelperAttribute Attr(TagHelperOutput output, string name) =>
        Assert.Single(output.Attributes, a => a.Name == name);

    [Fact]
    public void SignedImg_RendersImgWithSignedSrc_KeepsEveryOtherAttribute()
    {
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound,
            ("src", "~/protected/kyc/42/front.jpg"), ("lifetime", "00:02:00"), ("alt", "ID front"), ("class", "doc"),
            ("width", "320"), ("height", "200"), ("loading", "lazy"), ("data-side", "front"), ("aria-describedby", "hint"));

        Helper("~/protected/kyc/42/front.jpg", "00:02:00").Process(context, output);

        Assert.Equal("img", output.TagName);
        Assert.Equal(TagMode.StartTagOnly, output.TagMode);
        Assert.Equal(
            ["src", "alt", "class", "width", "height", "loading", "data-side", "aria-describedby", "referrerpolicy"],
            output.Attributes.Select(a => a.Name));
        Assert.Equal("no-referrer", Attr(output, "referrerpolicy").Value);
        var src = (string)Attr(output, "src").Value;
        Assert.StartsWith("/protected/kyc/42/front.jpg?token=", src, StringComparison.Ordinal);

        var link = _kit.ReadToken(src);
        Assert.Equal("/protected/kyc/42/front.jpg", link.Path);
        Assert.Equal(_kit.Time.GetUtcNow() + TimeSpan.FromMinutes(2), link.Expires);
        Assert.Null(link.UserId);
        Assert.Null(link.DownloadFileName);

        var html = TagHelperTestKit.Render(output);
        Assert.StartsWith("<img src=\"/protected/kyc/42/front.jpg?token=", html, StringComparison.Ordinal);
        Assert.EndsWith("alt=\"ID front\" class=\"doc\" width=\"320\" height=\"200\" loading=\"lazy\" data-side=\"front\" aria-describedby=\"hint\" referrerpolicy=\"no-referrer\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("signed-img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("lifetime", html, StringComparison.Ordinal);
    }

    [Fact]
    public void SignedImg_NoLifetime_UsesDefaultLifetime()
    {
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound, ("src", "/protected/a.png"));
        Helper("/protected/a.png").Process(context, output);

        var link = _kit.ReadToken((string)Attr(output, "src").Value);
        Assert.Equal(_kit.Time.GetUtcNow() + _kit.Options.DefaultLifetime, link.Expires);
    }

    [Fact]
    public void SignedImg_UnderPathBase_PrefixesPathBase_TokenBindsAppRelativePath()
    {
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound, ("src", "~/protected/a.png"));
        Helper("~/protected/a.png", view: TagHelperTestKit.View(pathBase: "/app")).Process(context, output);

        var src = (string)Attr(output, "src").Value;
        Assert.StartsWith("/app/protected/a.png?token=", src, StringComparison.Ordinal);
        Assert.Equal("/protected/a.png", _kit.ReadToken(src).Path);
    }

    [Fact]
    public void SignedImg_SignedInUser_BindsLinkToNameIdentifier()
    {
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound, ("src", "~/protected/a.png"));
        Helper("~/protected/a.png", view: TagHelperTestKit.View(userId: "alice-42")).Process(context, output);

        Assert.Equal("alice-42", _kit.ReadToken((string)Attr(output, "src").Value).UserId);
    }

    [Fact]
    public void SignedImg_BindToUserFalse_LinkIsNotBound()
    {
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound, ("src", "~/protected/a.png"), ("bind-to-user", "false"));
        Helper("~/protected/a.png", bindToUser: false, view: TagHelperTestKit.View(userId: "alice-42")).Process(context, output);

        Assert.Null(_kit.ReadToken((string)Attr(output, "src").Value).UserId);
    }

    [Fact]
    public void SignedImg_SignedInWithoutNameIdentifier_ThrowsNamingBindToUser()
    {
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound, ("src", "~/protected/a.png"));
        var ex = Assert.Throws<InvalidOperationException>(() =>
            Helper("~/protected/a.png", view: TagHelperTestKit.View(signedIn: true)).Process(context, output));

        Assert.Contains("'bind-to-user'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(TagHelperTestKit.ViewPath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignedImg_AuthorReferrerPolicy_IsReplacedByNoReferrer()
    {
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound, ("src", "~/protected/a.png"), ("referrerpolicy", "unsafe-url"));
        Helper("~/protected/a.png").Process(context, output);

        Assert.Equal("no-referrer", Attr(output, "referrerpolicy").Value);
    }

    [Fact]
    public void SignedImg_SpecialCharacters_ArePercentEncodedInPath_AndHtmlEncodedInAttributes()
    {
        const string alt = "Tom's \"ID\" <front> & back";
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound, ("src", "~/protected/a b&c#1.png"), ("alt", alt));
        Helper("~/protected/a b&c#1.png").Process(context, output);

        var src = (string)Attr(output, "src").Value;
        Assert.StartsWith("/protected/a%20b&c%231.png?token=", src, StringComparison.Ordinal);
        Assert.Equal("/protected/a b&c#1.png", _kit.ReadToken(src).Path);

        var html = TagHelperTestKit.Render(output);
        Assert.Contains("src=\"/protected/a%20b&amp;c%231.png?token=", html, StringComparison.Ordinal);
        Assert.Contains("alt=\"Tom&#x27;s &quot;ID&quot; &lt;front&gt; &amp; back\"", html, StringComparison.Ordinal);
    }

    public static TheoryData<string?> BadSources => new()
    {
        null,
        "",
        "   ",
        "https://cdn.example.com/protected/a.png",
        "//cdn.example.com/protected/a.png",
        "~//cdn.example.com/protected/a.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "protected/a.png",
        "~/public/a.png",
        "/protectedness/a.png",
        "/protected",
        "/protected/",
        "~/protected/../appsettings.json",
        "~/protected/.hidden/a.png",
        "~/protected/a\\..\\b.png",
    };

    [Theory]
    [MemberData(nameof(BadSources))]
    public void SignedImg_BadSrc_ThrowsNamingAttributeAndView(string? src)
    {
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound, ("src", src ?? ""));
        var ex = Assert.Throws<InvalidOperationException>(() => Helper(src).Process(context, output));

        Assert.Contains("'src' attribute of <signed-img>", ex.Message, StringComparison.Ordinal);
        Assert.Contains(TagHelperTestKit.ViewPath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignedImg_OutsideCustomRequestPath_MessageNamesTheFolder()
    {
        var kit = new TagHelperTestKit(o => o.RequestPath = "/vault");
        var helper = new SignedImageTagHelper(kit.Generator) { Src = "~/protected/a.png", ViewContext = TagHelperTestKit.View() };
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound, ("src", "~/protected/a.png"));

        var ex = Assert.Throws<InvalidOperationException>(() => helper.Process(context, output));
        Assert.Contains("outside the protected folder '/vault'", ex.Message, StringComparison.Ordinal);

        helper.Src = "~/VAULT/a.png"; // the middleware matches RequestPath case-insensitively
        helper.Process(context, output);
        Assert.StartsWith("/VAULT/a.png?token=", (string)Attr(output, "src").Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two minutes")]
    [InlineData("00:00:00")]
    [InlineData("-00:01:00")]
    [InlineData("1.00:00:01")] // above MaxLifetime (1 day)
    [InlineData("25:00:00")]
    public void SignedImg_BadLifetime_ThrowsNamingAttributeAndView(string lifetime)
    {
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound, ("src", "~/protected/a.png"), ("lifetime", lifetime));
        var ex = Assert.Throws<InvalidOperationException>(() => Helper("~/protected/a.png", lifetime).Process(context, output));

        Assert.Contains("'lifetime' attribute of <signed-img>", ex.Message, StringComparison.Ordinal);
        Assert.Contains(TagHelperTestKit.ViewPath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignedImg_LifetimeEqualToMaxLifetime_IsAccepted()
    {
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound, ("src", "~/protected/a.png"));
        Helper("~/protected/a.png", "1.00:00:00").Process(context, output);

        Assert.Equal(_kit.Time.GetUtcNow() + TimeSpan.FromDays(1), _kit.ReadToken((string)Attr(output, "src").Value).Expires);
    }

    [Fact]
    public void SignedImg_NoExecutingFilePath_MessageNamesTheViewPath()
    {
        var view = TagHelperTestKit.View(executingFilePath: null);
        view.View = new NamedView("/Pages/Kyc/Review.cshtml");
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound);

        var ex = Assert.Throws<InvalidOperationException>(() => Helper("", view: view).Process(context, output));

        Assert.Contains("in view '/Pages/Kyc/Review.cshtml'", ex.Message, StringComparison.Ordinal);
    }

    private sealed class NamedView(string path) : Microsoft.AspNetCore.Mvc.ViewEngines.IView
    {
        public string Path { get; } = path;
        public Task RenderAsync(Microsoft.AspNetCore.Mvc.Rendering.ViewContext context) => Task.CompletedTask;
    }

    [Fact]
    public void SignedImg_NoExecutingFilePath_MessageFallsBackToUnknownView()
    {
        var (context, output) = TagHelperTestKit.Tag("signed-img", Bound);
        var ex = Assert.Throws<InvalidOperationException>(() =>
            Helper(null, view: TagHelperTestKit.View(executingFilePath: null)).Process(context, output));

        Assert.Contains("(unknown view)", ex.Message, StringComparison.Ordinal);
    }
}
