using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace SignedStaticFiles.Components.Tests;

/// <summary>
/// <c>&lt;SignedImage&gt;</c> and <c>&lt;SignedLink&gt;</c> in a real Blazor app rendered statically on the server:
/// the HTML is parsed as a browser would, and the links are fetched — 200 for the user the page was rendered for,
/// 403 for anyone else.
/// </summary>
public sealed class StaticRenderingTests : IAsyncLifetime
{
    private ComponentsSite _site = null!;

    public async Task InitializeAsync() => _site = await ComponentsSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private async Task<IDocument> RenderAsync(string page, string? user)
    {
        using var response = await _site.GetAsync(page, user);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpStatusCode> FetchAsync(string url, string? user)
    {
        using var response = await _site.GetAsync(url, user);
        return response.StatusCode;
    }

    [Fact]
    public async Task SignedImage_RendersAnImgBoundToTheUser_200ForThem_403ForAnother()
    {
        var page = await RenderAsync("/documents", "alice");
        var img = page.QuerySelector("img#front")!;
        var src = img.GetAttribute("src")!;

        Assert.StartsWith("/protected/kyc/front.txt?token=", src, StringComparison.Ordinal);
        Assert.Equal("no-referrer", img.GetAttribute("referrerpolicy"));
        Assert.Equal("Front of the ID", img.GetAttribute("alt"));
        Assert.Equal("doc", img.GetAttribute("class"));
        Assert.Equal("lazy", img.GetAttribute("loading"));
        Assert.Equal(HttpStatusCode.OK, await FetchAsync(src, "alice"));
        Assert.Equal(HttpStatusCode.Forbidden, await FetchAsync(src, "bob"));
        Assert.Equal(HttpStatusCode.Forbidden, await FetchAsync(src, null));
    }

    [Fact]
    public async Task SignedLink_RendersAnAnchor_WithDownloadAndRelMerged()
    {
        var page = await RenderAsync("/documents", "alice");
        var a = page.QuerySelector("a#contract")!;
        var href = a.GetAttribute("href")!;

        Assert.StartsWith("/contracts/contract.txt?token=", href, StringComparison.Ordinal);
        Assert.Equal("contract.txt", a.GetAttribute("download"));
        Assert.Equal("nofollow noreferrer", a.GetAttribute("rel"));
        Assert.Equal("no-referrer", a.GetAttribute("referrerpolicy"));
        Assert.Equal("The contract", a.TextContent);

        using var file = await _site.GetAsync(href, "alice");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("the contract", await file.Content.ReadAsStringAsync());
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("contract.txt", file.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(HttpStatusCode.Forbidden, await FetchAsync(href, "bob"));
    }

    [Fact]
    public async Task SignedLink_Inline_ChildContentAndAttributesKept()
    {
        var page = await RenderAsync("/documents", "alice");
        var a = page.QuerySelector("a#inline")!;

        Assert.Null(a.GetAttribute("download"));
        Assert.Equal("noreferrer", a.GetAttribute("rel"));
        Assert.Equal("btn", a.GetAttribute("class"));
        Assert.Equal("inline", a.QuerySelector("b")!.TextContent);
        using var file = await _site.GetAsync(a.GetAttribute("href")!, "alice");
        Assert.Null(file.Content.Headers.ContentDisposition);
    }

    [Fact]
    public async Task AuthorsDownloadAndNoReferrer_AreKept_NotDoubled()
    {
        var page = await RenderAsync("/documents", "alice");
        var a = page.QuerySelector("a#own-download")!;

        Assert.Equal("mine.txt", a.GetAttribute("download"));
        Assert.Equal("noreferrer nofollow", a.GetAttribute("rel"));
    }

    [Fact]
    public async Task AuthorsReferrerPolicy_IsOverridden()
    {
        var page = await RenderAsync("/documents", "alice");

        Assert.Equal("no-referrer", page.QuerySelector("img#policy")!.GetAttribute("referrerpolicy"));
        Assert.Single(page.QuerySelector("img#policy")!.Attributes, a => a.Name == "referrerpolicy");
    }

    [Fact]
    public async Task BindToUserFalse_OpensForAnyone()
    {
        var page = await RenderAsync("/documents", "alice");
        var src = page.QuerySelector("img#shared")!.GetAttribute("src")!;

        Assert.Equal(HttpStatusCode.OK, await FetchAsync(src, "bob"));
        Assert.Equal(HttpStatusCode.OK, await FetchAsync(src, null));
    }

    [Fact]
    public async Task AnonymousPage_GetsUnboundLinks()
    {
        var page = await RenderAsync("/documents", null);

        Assert.Equal(HttpStatusCode.OK, await FetchAsync(page.QuerySelector("img#front")!.GetAttribute("src")!, "bob"));
    }

    [Fact]
    public async Task EveryRender_MintsFreshLinks()
    {
        var first = (await RenderAsync("/documents", "alice")).QuerySelector("img#front")!.GetAttribute("src");
        var second = (await RenderAsync("/documents", "alice")).QuerySelector("img#front")!.GetAttribute("src");

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("/protected/kyc/front.txt", 3600, true)]
    [InlineData("/protected/kyc/front.txt", 3601, false)]
    [InlineData("/contracts/contract.txt", 120, true)]
    [InlineData("/contracts/contract.txt", 121, false)]
    public async Task Lifetime_IsCappedByThePathsFolder(string path, int seconds, bool allowed)
    {
        var url = $"/minted?path={Uri.EscapeDataString(path)}&seconds={seconds}";
        if (allowed)
        {
            using var response = await _site.GetAsync(url, "alice");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(_site.Errors);
            var src = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("#minted")!.GetAttribute("src")!;
            _site.Host.Time.Advance(TimeSpan.FromSeconds(seconds - 1));
            Assert.Equal(HttpStatusCode.OK, await FetchAsync(src, "alice"));
            _site.Host.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(HttpStatusCode.Gone, await FetchAsync(src, "alice"));
        }
        else
        {
            var error = await RenderFailureAsync(url);
            Assert.StartsWith("The 'Lifetime' parameter of <SignedImage> is invalid:", error.Message, StringComparison.Ordinal);
            Assert.Contains("'" + path[..path.IndexOf('/', 1)] + "'", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("image", "", "Src", "empty")]
    [InlineData("image", "https://evil.example/protected/a.jpg", "Src", "app-relative")]
    [InlineData("image", "/elsewhere/a.jpg", "Src", "outside")]
    [InlineData("image", "/protected/../a.jpg", "Src", "cannot be signed")]
    [InlineData("link", "/contracts/contract.txt&download=a%2Fb.txt", "DownloadName", "DownloadFileName")]
    [InlineData("link", "/contracts/contract.txt&download=%20", "DownloadName", "empty")]
    [InlineData("image", "/protected/kyc/front.txt&watermark={user}", "Watermark", "cannot be honoured")]
    [InlineData("image", "/protected/kyc/front.txt&redaction=support", "Redaction", "not a redaction profile")]
    [InlineData("link", "/contracts/contract.txt&seconds=0", "Lifetime", "positive")]
    public async Task ValueTheFolderCannotHonour_FailsTheRender_NamingTheParameterAndTheComponent(string kind, string path, string parameter, string reason)
    {
        var error = await RenderFailureAsync($"/minted?kind={kind}&path={path}");

        var component = kind == "link" ? "SignedLink" : "SignedImage";
        Assert.StartsWith($"The '{parameter}' parameter of <{component}> is invalid:", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The render fails as the framework fails a render: the exception leaves the pipeline (TestServer hands it to the
    /// client), and no page with a weaker link is sent.
    /// </summary>
    private async Task<InvalidOperationException> RenderFailureAsync(string url)
    {
        var thrown = await Record.ExceptionAsync(async () => (await _site.GetAsync(url, "alice")).Dispose());

        var error = Assert.IsType<InvalidOperationException>(Assert.Single(_site.Errors));
        Assert.Same(error, thrown);
        return error;
    }

    [Fact]
    public async Task SingleUse_IsHonoured()
    {
        using var response = await _site.GetAsync("/minted?path=/protected/kyc/front.txt&singleUse=true", "alice");
        var src = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("#minted")!.GetAttribute("src")!;

        Assert.Equal(HttpStatusCode.OK, await FetchAsync(src, "alice"));
        Assert.Equal(HttpStatusCode.Gone, await FetchAsync(src, "alice"));
    }
}
