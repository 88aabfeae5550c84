using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace SignedStaticFiles.TagHelpers.Tests;

/// <summary>
/// <see cref="SignedStaticFilesOptions.LinkReuseWindow"/> in a real browser (Debian's Chromium driven by
/// Playwright, the app on Kestrel at 127.0.0.1): a page rendered twice inside the window makes the browser fetch
/// its image once; without the window every render fetches it again (each render mints a new URL).
/// </summary>
public sealed class BrowserLinkReuseTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Theory]
    [InlineData(300, 1)]
    [InlineData(0, 2)]
    public async Task PageRenderedTwice_ImageFetchedOnceInsideTheWindow(int windowSeconds, int expectedFetches)
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: test.sh installs Debian's chromium package.");
        var contentRoot = Path.Combine(Path.GetTempPath(), "ssf-browser", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "protected"));
        await File.WriteAllBytesAsync(Path.Combine(contentRoot, "App_Data", "protected", "avatar.png"), TagHelperSite.Png);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSignedStaticFiles(o =>
        {
            o.LinkReuseWindow = TimeSpan.FromSeconds(windowSeconds);
            o.CacheControl = "private, max-age=600";
        });
        await using var app = builder.Build();
        var imageFetches = 0;
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/protected"))
            {
                Interlocked.Increment(ref imageFetches);
            }

            return next(context);
        });
        app.UseSignedStaticFiles();
        app.MapGet("/gallery", (HttpContext context, ISignedUrlGenerator links) =>
            Results.Content(
                $"<!DOCTYPE html><html><body><img id=\"avatar\" src=\"{WebUtility.HtmlEncode(links.GetSignedUrl("/protected/avatar.png", TimeSpan.FromMinutes(5)))}\"></body></html>",
                "text/html"));
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();

        for (var render = 0; render < 2; render++)
        {
            await page.GotoAsync("/gallery", new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            Assert.True(await page.EvalOnSelectorAsync<int>("#avatar", "i => i.complete ? i.naturalWidth : 0") > 0, "the image did not load");
        }

        Assert.Equal(expectedFetches, Volatile.Read(ref imageFetches));
        await app.StopAsync();
    }
}
