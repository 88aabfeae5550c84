using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Razor.TagHelpers;
using SignedStaticFiles.TagHelpers;

namespace SignedStaticFiles.Tests.TagHelpers;

public sealed class SignedLinkTagHelperTests
{
    private static readonly string[] Bound = ["signed-href", "download-name", "lifetime", "bind-to-user"];
    private readonly TagHelperTestKit _kit = new();

    private SignedLinkTagHelper Helper(string? href, string? downloadName = null, string? lifetime = null, bool bindToUser = true, Microsoft.AspNetCore.Mvc.Rendering.ViewContext? view = null) =>
        new(_kit.Generator)
        {
            SignedHref = href,
            DownloadName = downloadName,
            Lifetime = lifetime,
            BindToUser = bindToUser,
            ViewContext = view ?? TagHelperTestKit.View(),
        };

    private static object? Value(TagHelperOutput output, string name) =>
        Assert.Single(output.Attributes, a => a.Name == name).Value;

    [Fact]
    public void SignedHref_RendersSignedHref_DownloadName_NoReferrer_BoundToUser()
    {
        var (context, output) = TagHelperTestKit.Tag("a", Bound,
            ("signed-href", "~/protected/kyc/42/contract.pdf"), ("download-name", "contract.pdf"), ("class", "btn"));

        Helper("~/protected/kyc/42/contract.pdf", "contract.pdf", "00:10:00", view: TagHelperTestKit.View(userId: "alice-42"))
            .Process(context, output);

        Assert.Equal("a", output.TagName);
        Assert.Equal(["href", "class", "download", "rel", "referrerpolicy"], output.Attributes.Select(a => a.Name));
        var href = (string)Value(output, "href")!;
        Assert.StartsWith("/protected/kyc/42/contract.pdf?token=", href, StringComparison.Ordinal);
        Assert.Equal("contract.pdf", Value(output, "download"));
        Assert.Equal("noreferrer", Value(output, "rel"));
        Assert.Equal("no-referrer", Value(output, "referrerpolicy"));

        var link = _kit.ReadToken(href);
        Assert.Equal("/protected/kyc/42/contract.pdf", link.Path);
        Assert.Equal("contract.pdf", link.DownloadFileName);
        Assert.Equal("alice-42", link.UserId);
        Assert.Equal(_kit.Time.GetUtcNow() + TimeSpan.FromMinutes(10), link.Expires);

        var html = TagHelperTestKit.Render(output);
        Assert.StartsWith("<a href=\"/protected/kyc/42/contract.pdf?token=", html, StringComparison.Ordinal);
        Assert.EndsWith("class=\"btn\" download=\"contract.pdf\" rel=\"noreferrer\" referrerpolicy=\"no-referrer\"></a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("signed-href", html, StringComparison.Ordinal);
    }

    [Fact]
    public void SignedHref_NoDownloadName_InlineLink_WithoutDownloadAttribute()
    {
        var (context, output) = TagHelperTestKit.Tag("a", Bound, ("signed-href", "~/protected/a.pdf"));
        Helper("~/protected/a.pdf", bindToUser: false, view: TagHelperTestKit.View(userId: "alice-42")).Process(context, output);

        Assert.False(output.Attributes.ContainsName("download"));
        var link = _kit.ReadToken((string)Value(output, "href")!);
        Assert.Null(link.DownloadFileName);
        Assert.Null(link.UserId);
    }

    [Fact]
    public void SignedHref_AuthorDownloadAttribute_IsKept()
    {
        var (context, output) = TagHelperTestKit.Tag("a", Bound, ("signed-href", "~/protected/a.pdf"), ("download", "mine.pdf"), ("download-name", "contract.pdf"));
        Helper("~/protected/a.pdf", "contract.pdf").Process(context, output);

        Assert.Equal("mine.pdf", Value(output, "download"));
        Assert.Equal("contract.pdf", _kit.ReadToken((string)Value(output, "href")!).DownloadFileName);
    }

    [Theory]
    [InlineData("nofollow", "nofollow noreferrer")]
    [InlineData("nofollow noreferrer", "nofollow noreferrer")]
    [InlineData("NoReferrer", "NoReferrer")]
    [InlineData("", "noreferrer")]
    public void SignedHref_AuthorRel_KeepsTokensAndAddsNoReferrerOnce(string rel, string expected)
    {
        var (context, output) = TagHelperTestKit.Tag("a", Bound, ("signed-href", "~/protected/a.pdf"), ("rel", new HtmlString(rel)));
        Helper("~/protected/a.pdf").Process(context, output);

        Assert.Contains($"rel=\"{expected}\"", TagHelperTestKit.Render(output), StringComparison.Ordinal);
    }

    [Fact]
    public void SignedHref_UnderPathBase_PrefixesPathBase()
    {
        var (context, output) = TagHelperTestKit.Tag("a", Bound, ("signed-href", "~/protected/a.pdf"));
        Helper("~/protected/a.pdf", view: TagHelperTestKit.View(pathBase: "/app")).Process(context, output);

        Assert.StartsWith("/app/protected/a.pdf?token=", (string)Value(output, "href")!, StringComparison.Ordinal);
    }

    [Fact]
    public void SignedHref_WithHrefToo_ThrowsNamingHref()
    {
        var (context, output) = TagHelperTestKit.Tag("a", Bound, ("signed-href", "~/protected/a.pdf"), ("href", "/elsewhere"));
        var ex = Assert.Throws<InvalidOperationException>(() => Helper("~/protected/a.pdf").Process(context, output));

        Assert.Contains("'href' attribute of <a>", ex.Message, StringComparison.Ordinal);
        Assert.Contains(TagHelperTestKit.ViewPath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignedHref_HrefAlreadyProducedByAnotherTagHelper_ThrowsNamingHref()
    {
        var (context, output) = TagHelperTestKit.Tag("a", Bound, ("signed-href", "~/protected/a.pdf"));
        output.Attributes.SetAttribute("href", "/Home/Index"); // as AnchorTagHelper does for asp-action

        var ex = Assert.Throws<InvalidOperationException>(() => Helper("~/protected/a.pdf").Process(context, output));

        Assert.Contains("'href' attribute of <a>", ex.Message, StringComparison.Ordinal);
        Assert.Single(output.Attributes, a => a.Name == "href");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("../contract.pdf")]
    [InlineData("dir\\contract.pdf")]
    [InlineData("con\ntract.pdf")]
    public void SignedHref_BadDownloadName_ThrowsNamingDownloadName(string name)
    {
        var (context, output) = TagHelperTestKit.Tag("a", Bound, ("signed-href", "~/protected/a.pdf"), ("download-name", name));
        var ex = Assert.Throws<InvalidOperationException>(() => Helper("~/protected/a.pdf", name).Process(context, output));

        Assert.Contains("'download-name' attribute of <a>", ex.Message, StringComparison.Ordinal);
        Assert.Contains(TagHelperTestKit.ViewPath, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://example.com/protected/a.pdf")]
    [InlineData("~/public/a.pdf")]
    [InlineData("~/protected/../secret.pdf")]
    public void SignedHref_BadPath_ThrowsNamingSignedHrefAndView(string? href)
    {
        var (context, output) = TagHelperTestKit.Tag("a", Bound, ("signed-href", href ?? ""));
        var ex = Assert.Throws<InvalidOperationException>(() => Helper(href).Process(context, output));

        Assert.Contains("'signed-href' attribute of <a>", ex.Message, StringComparison.Ordinal);
        Assert.Contains(TagHelperTestKit.ViewPath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignedHref_LifetimeAboveMax_ThrowsNamingLifetime()
    {
        var (context, output) = TagHelperTestKit.Tag("a", Bound, ("signed-href", "~/protected/a.pdf"));
        var ex = Assert.Throws<InvalidOperationException>(() => Helper("~/protected/a.pdf", lifetime: "2.00:00:00").Process(context, output));

        Assert.Contains("'lifetime' attribute of <a>", ex.Message, StringComparison.Ordinal);
    }
}
