using System.Net;
using AngleSharp.Html.Parser;

namespace SignedStaticFiles.Components.Tests;

/// <summary>An app mounted below a PathBase: the components put it in front (from NavigationManager), and the links work.</summary>
public sealed class PathBaseTests
{
    [Fact]
    public async Task UnderUsePathBase_LinksStartWithIt_AndOpen()
    {
        await using var site = await ComponentsSite.StartAsync("/app");

        using var response = await site.GetAsync("/app/documents", "alice");
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var src = page.QuerySelector("img#front")!.GetAttribute("src")!;
        var href = page.QuerySelector("a#contract")!.GetAttribute("href")!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("/app/protected/kyc/front.txt?token=", src, StringComparison.Ordinal);
        Assert.StartsWith("/app/contracts/contract.txt?token=", href, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await site.GetAsync(src, "alice")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await site.GetAsync(href, "alice")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await site.GetAsync(src, "bob")).StatusCode);
    }
}
