using System.Net;

namespace SignedStaticFiles.TagHelpers.Tests;

/// <summary>
/// Real Razor views and pages rendered by MVC on a TestServer; the links they render are then fetched
/// through the real middleware, as the page's user, as another user and anonymously.
/// </summary>
public sealed class SignedTagHelpersFunctionalTests
{
    [Fact]
    public async Task MvcView_SignedImg_RendersImgKeepingAttributes()
    {
        await using var host = await TagHelperSite.StartAsync();
        var (html, document) = await host.RenderAsync("/Documents/Index", "alice");

        Assert.DoesNotContain("<signed-img", html, StringComparison.Ordinal);
        var img = document.ById("front");
        Assert.Equal("IMG", img.TagName);
        Assert.StartsWith("/protected/kyc/42/front.png?token=", img.GetAttribute("src"), StringComparison.Ordinal);
        Assert.Equal("no-referrer", img.GetAttribute("referrerpolicy"));
        Assert.Equal("ID front", img.GetAttribute("alt"));
        Assert.Equal("doc", img.GetAttribute("class"));
        Assert.Equal("320", img.GetAttribute("width"));
        Assert.Equal("200", img.GetAttribute("height"));
        Assert.Equal("lazy", img.GetAttribute("loading"));
        Assert.Equal("front", img.GetAttribute("data-side"));
        Assert.Equal("hint", img.GetAttribute("aria-describedby"));
        Assert.False(img.HasAttribute("lifetime"));
        Assert.False(img.HasAttribute("bind-to-user"));
    }

    [Fact]
    public async Task MvcView_ImgSrc_FetchedBySameUser_ReturnsImage()
    {
        await using var host = await TagHelperSite.StartAsync();
        var (_, document) = await host.RenderAsync("/Documents/Index", "alice");
        var src = document.ById("front").GetAttribute("src")!;

        using var response = await host.SendAsync(src, "alice");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TagHelperSite.Png, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bob")]
    public async Task MvcView_ImgSrcBoundToUser_FetchedByAnonymousOrOtherUser_Returns403(string? other)
    {
        await using var host = await TagHelperSite.StartAsync();
        var (_, document) = await host.RenderAsync("/Documents/Index", "alice");
        var src = document.ById("front").GetAttribute("src")!;

        using var response = await host.SendAsync(src, other);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task MvcView_RenderedAnonymously_LinkIsNotBound_AnyoneCanFetch()
    {
        await using var host = await TagHelperSite.StartAsync();
        var (_, document) = await host.RenderAsync("/Documents/Index", user: null);
        var src = document.ById("front").GetAttribute("src")!;

        using var anonymous = await host.SendAsync(src, null);
        using var bob = await host.SendAsync(src, "bob");

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
    }

    [Fact]
    public async Task MvcView_BindToUserFalse_OtherUserCanFetch()
    {
        await using var host = await TagHelperSite.StartAsync();
        var (_, document) = await host.RenderAsync("/Documents/Unbound", "alice");
        var src = document.ById("front").GetAttribute("src")!;

        using var response = await host.SendAsync(src, "bob");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TagHelperSite.Png, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task MvcView_UnderPathBase_SrcCarriesPathBase_AndIsServed()
    {
        await using var host = await TagHelperSite.StartAsync(pathBase: "/app");
        var (_, document) = await host.RenderAsync("/app/Documents/Index", "alice");
        var src = document.ById("front").GetAttribute("src")!;
        var href = document.ById("contract").GetAttribute("href")!;

        Assert.StartsWith("/app/protected/kyc/42/front.png?token=", src, StringComparison.Ordinal);
        Assert.StartsWith("/app/protected/kyc/42/contract.pdf?token=", href, StringComparison.Ordinal);
        using var response = await host.SendAsync(src, "alice");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TagHelperSite.Png, await response.Content.ReadAsByteArrayAsync());
        using var stranger = await host.SendAsync(src, "bob");
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
    }

    [Fact]
    public async Task MvcView_QuotesAndAmpersands_AreEncoded_AndTheLinkStillWorks()
    {
        await using var host = await TagHelperSite.StartAsync();
        var (html, document) = await host.RenderAsync("/Documents/Index", "alice");
        var caption = Site.DocumentsController.Model.Caption;

        // Literal markup is passed through as written; values from the model are HTML-encoded by Razor.
        Assert.Contains("alt=\"Tom's &quot;ID&quot; &amp; back\"", html, StringComparison.Ordinal);
        Assert.Contains("alt=\"Tom&#x27;s &quot;ID&quot; &lt;front&gt; &amp; back\"", html, StringComparison.Ordinal);
        Assert.Equal("Tom's \"ID\" & back", document.ById("literal").GetAttribute("alt"));
        var modeled = document.ById("modeled");
        Assert.Equal(caption, modeled.GetAttribute("alt"));
        Assert.Equal(caption, modeled.GetAttribute("title"));

        // The file name's '&' stays a literal '&' of the path (HTML-encoded as &amp;), its quotes and
        // space are percent-encoded: the parsed src is the URL the browser fetches, and it works.
        var src = modeled.GetAttribute("src")!;
        Assert.StartsWith("/protected/kyc/42/front&back%20%221%22.png?token=", src, StringComparison.Ordinal);
        Assert.Contains("src=\"/protected/kyc/42/front&amp;back%20%221%22.png?token=", html, StringComparison.Ordinal);
        using var response = await host.SendAsync(src, "alice");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TagHelperSite.Png, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task MvcView_SignedHref_DownloadsUnderDownloadName()
    {
        await using var host = await TagHelperSite.StartAsync();
        var (_, document) = await host.RenderAsync("/Documents/Index", "alice");
        var a = document.ById("contract");

        Assert.Equal("contract 42.pdf", a.GetAttribute("download"));
        Assert.Equal("noreferrer", a.GetAttribute("rel"));
        Assert.Equal("no-referrer", a.GetAttribute("referrerpolicy"));
        Assert.Equal("btn", a.GetAttribute("class"));
        Assert.Equal("Download", a.TextContent);
        using var response = await host.SendAsync(a.GetAttribute("href")!, "alice");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("contract 42.pdf", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(TagHelperSite.Pdf, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task RazorPage_SignedHrefAndSignedImg_RenderAndServe_BoundToUser()
    {
        await using var host = await TagHelperSite.StartAsync();
        var (html, document) = await host.RenderAsync("/Download", "alice");
        var a = document.ById("contract");
        var img = document.ById("front");

        Assert.DoesNotContain("signed-href", html, StringComparison.Ordinal);
        Assert.Equal("nofollow noreferrer", a.GetAttribute("rel"));
        Assert.Equal("contract.pdf", a.GetAttribute("download"));
        Assert.StartsWith("/protected/kyc/42/contract.pdf?token=", a.GetAttribute("href"), StringComparison.Ordinal);

        using var download = await host.SendAsync(a.GetAttribute("href")!, "alice");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(TagHelperSite.Pdf, await download.Content.ReadAsByteArrayAsync());
        using var image = await host.SendAsync(img.GetAttribute("src")!, "alice");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);

        using var stolen = await host.SendAsync(a.GetAttribute("href")!, "bob");
        Assert.Equal(HttpStatusCode.Forbidden, stolen.StatusCode);
    }

    [Fact]
    public async Task RazorPage_LinkExpiresAfterItsLifetime()
    {
        await using var host = await TagHelperSite.StartAsync();
        var (_, document) = await host.RenderAsync("/Download", "alice");
        var href = document.ById("contract").GetAttribute("href")!;

        host.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using var response = await host.SendAsync(href, "alice");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }

    [Theory]
    [InlineData("/Documents/BadLifetime", "'lifetime' attribute of <signed-img>", "/Views/Documents/BadLifetime.cshtml")]
    [InlineData("/Documents/OutsideFolder", "'src' attribute of <signed-img>", "/Views/Documents/OutsideFolder.cshtml")]
    [InlineData("/Documents/AspAction", "'href' attribute of <a>", "/Views/Documents/AspAction.cshtml")]
    [InlineData("/Documents/WatermarkOnPlainFolder", "'watermark' attribute of <a>", "/Views/Documents/WatermarkOnPlainFolder.cshtml")]
    [InlineData("/Documents/UnknownRedaction", "'redaction' attribute of <signed-img>", "/Views/Documents/UnknownRedaction.cshtml")]
    public async Task MvcView_BadAttribute_FailsRenderNamingAttributeAndView(string url, string attribute, string view)
    {
        await using var host = await TagHelperSite.StartAsync();

        // TestServer re-throws what the app threw: the page fails, nothing half-rendered is sent.
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.SendAsync(url, "alice"));

        Assert.Contains(attribute, ex.Message, StringComparison.Ordinal);
        Assert.Contains(view, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every attribute a tag helper lists is bound by Razor (never rendered back as written) and honoured: a
    /// single-use link on either tag works exactly once.
    /// </summary>
    [Fact]
    public async Task MvcView_SingleUseOnBothTags_IsHonoured_NotRenderedAsWritten()
    {
        await using var host = await TagHelperSite.StartAsync();
        var (html, document) = await host.RenderAsync("/Documents/SingleUseOnBoth", "alice");

        Assert.DoesNotContain("single-use", html, StringComparison.Ordinal);
        Assert.DoesNotContain("bind-to-user", html, StringComparison.Ordinal);
        Assert.DoesNotContain("lifetime", html, StringComparison.Ordinal);
        foreach (var url in new[] { document.ById("img").GetAttribute("src")!, document.ById("link").GetAttribute("href")! })
        {
            using (var first = await host.SendAsync(url, user: null))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, first.StatusCode);
            }

            using var second = await host.SendAsync(url, user: null);
            Assert.Equal(System.Net.HttpStatusCode.Gone, second.StatusCode);
        }
    }

    [Fact]
    public async Task MvcView_EveryAttributeOnBothTags_IsBound_AndTheLinksAreBoundToTheViewer()
    {
        await using var host = await TagHelperSite.StartAsync();
        var (html, document) = await host.RenderAsync("/Documents/EveryAttribute", "alice");

        foreach (var attribute in new[] { "single-use", "bind-to-user", "lifetime", "download-name", "signed-href" })
        {
            Assert.DoesNotContain(attribute + "=", html, StringComparison.Ordinal);
        }

        foreach (var url in new[] { document.ById("img").GetAttribute("src")!, document.ById("link").GetAttribute("href")! })
        {
            using (var stranger = await host.SendAsync(url, "mallory"))
            {
                Assert.Equal(System.Net.HttpStatusCode.Forbidden, stranger.StatusCode);
            }

            using (var owner = await host.SendAsync(url, "alice"))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, owner.StatusCode);
            }

            using var again = await host.SendAsync(url, "alice");
            Assert.Equal(System.Net.HttpStatusCode.Gone, again.StatusCode);
        }
    }
}
