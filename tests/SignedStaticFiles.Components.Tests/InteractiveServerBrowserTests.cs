using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Components.Tests;

/// <summary>
/// Interactive server rendering for real: the test app on Kestrel, Debian's Chromium driven by Playwright, the page
/// rendered only inside the Blazor circuit (no prerendering, so no request is behind the render). The image the
/// circuit rendered loads in the browser for its user, answers 403 to another, keeps its URL across re-renders and
/// changes when a parameter does.
/// </summary>
public sealed class InteractiveServerBrowserTests : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";

    // A 1×1 PNG: the browser must decode real image bytes.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private WebApplication _app = null!;
    private string _contentRoot = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _contentRoot = SignedHost.NewContentRoot();
        Directory.CreateDirectory(Path.Combine(_contentRoot, "App_Data", "protected", "kyc"));
        Directory.CreateDirectory(Path.Combine(_contentRoot, "App_Data", "contracts"));
        await File.WriteAllBytesAsync(Path.Combine(_contentRoot, "App_Data", "protected", "kyc", "front.png"), Png);
        await File.WriteAllTextAsync(Path.Combine(_contentRoot, "App_Data", "contracts", "contract.txt"), "the contract");

        // Development: the framework's own blazor.web.js comes from the static web assets of this project.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Site.App).Assembly.GetName().Name,
            ContentRootPath = _contentRoot,
            EnvironmentName = "Development",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_contentRoot, "keys")));
        builder.Services.AddSignedStaticFiles();
        builder.Services.AddSignedStaticFiles("contracts", o =>
        {
            o.RequestPath = "/contracts";
            o.RootPath = "App_Data/contracts";
        });
        builder.Services.AddAuthentication(HeaderAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();

        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseSignedStaticFiles();
        _app.UseAntiforgery();
        _app.MapStaticAssets();
        _app.MapRazorComponents<Site.App>().AddInteractiveServerRenderMode();
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_contentRoot, recursive: true); } catch (IOException) { }
    }

    private async Task<HttpStatusCode> FetchAsync(string url, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(HeaderAuthentication.Header, user);
        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task CircuitRenderedImage_LoadsForItsUser_403ForAnother_SameUrlAcrossRerenders()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: test.sh installs Debian's chromium package.");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _client.BaseAddress!.ToString(),
            ExtraHTTPHeaders = new Dictionary<string, string> { [HeaderAuthentication.Header] = "alice" },
        });
        context.SetDefaultTimeout(90_000); // the machine may be busy: a slow step must not read as a failure
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add($"{message.Text} ({message.Location})");
            }
        };

        await page.GotoAsync("/interactive");
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('img#live'); return i && i.complete && i.naturalWidth > 0; }");
        var src = (await page.GetAttributeAsync("img#live", "src"))!;
        var href = (await page.GetAttributeAsync("a#download", "href"))!;

        Assert.StartsWith("/protected/kyc/front.png?token=", src, StringComparison.Ordinal);
        Assert.Equal("no-referrer", await page.GetAttributeAsync("img#live", "referrerpolicy"));
        Assert.StartsWith("/contracts/contract.txt?token=", href, StringComparison.Ordinal);
        Assert.Equal("nofollow noreferrer", await page.GetAttributeAsync("a#download", "rel"));
        Assert.Equal("contract.txt", await page.GetAttributeAsync("a#download", "download"));
        Assert.Equal(HttpStatusCode.OK, await FetchAsync(src, "alice"));
        Assert.Equal(HttpStatusCode.Forbidden, await FetchAsync(src, "bob"));
        Assert.Equal(HttpStatusCode.OK, await FetchAsync(href, "alice"));
        Assert.Equal(HttpStatusCode.Forbidden, await FetchAsync(href, "bob"));

        // A re-render keeps the link; a new parameter value mints a new one, which loads too.
        await page.ClickAsync("#rerender");
        await page.WaitForSelectorAsync("#renders:text('1')");
        Assert.Equal(src, await page.GetAttributeAsync("img#live", "src"));
        await page.ClickAsync("#longer");
        await page.WaitForFunctionAsync($"() => document.querySelector('img#live').getAttribute('src') !== {System.Text.Json.JsonSerializer.Serialize(src)}");
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('img#live'); return i.complete && i.naturalWidth > 0; }");
        var longer = (await page.GetAttributeAsync("img#live", "src"))!;
        Assert.Equal(HttpStatusCode.OK, await FetchAsync(longer, "alice"));
        Assert.Equal(HttpStatusCode.Forbidden, await FetchAsync(longer, "bob"));
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
    }
}
