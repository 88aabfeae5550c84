using System.Net;
using System.Security.Claims;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SignedStaticFiles.Components.Tests;

/// <summary>
/// Rendering with no <see cref="HttpContext"/>, as in an interactive server circuit: the framework's own renderer over
/// the app's services, the user given to the app's <see cref="AuthenticationStateProvider"/> and the base address to
/// its <see cref="NavigationManager"/> the way a circuit gives them. The links are then fetched from the app.
/// </summary>
public sealed class NoHttpContextTests : IAsyncLifetime
{
    private ComponentsSite _site = null!;

    public async Task InitializeAsync() => _site = await ComponentsSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private static ClaimsPrincipal User(string id) => new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id)], "Circuit"));

    private static void SignIn(IServiceProvider services, string id) =>
        ((IHostEnvironmentAuthenticationStateProvider)services.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(User(id))));

    private static void Navigate(IServiceProvider services, string baseUri) =>
        ((IHostEnvironmentNavigationManager)services.GetRequiredService<NavigationManager>()).Initialize(baseUri, baseUri + "documents");

    [Fact]
    public async Task WithoutHttpContext_UserAndPathBaseComeFromTheCircuitServices()
    {
        await using var scope = _site.Host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        Assert.Null(services.GetService<IHttpContextAccessor>()?.HttpContext);
        SignIn(services, "alice");
        Navigate(services, "https://portal.example/app/");
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());

        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var image = await renderer.RenderComponentAsync<SignedImage>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(SignedImage.Src)] = "/protected/kyc/front.txt",
                ["alt"] = "Front",
            }));
            var link = await renderer.RenderComponentAsync<SignedLink>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(SignedLink.Href)] = "/contracts/contract.txt",
                [nameof(SignedLink.DownloadName)] = "contract.txt",
            }));
            return image.ToHtmlString() + link.ToHtmlString();
        });

        var page = new HtmlParser().ParseDocument(html);
        var src = page.QuerySelector("img")!.GetAttribute("src")!;
        var href = page.QuerySelector("a")!.GetAttribute("href")!;
        Assert.StartsWith("/app/protected/kyc/front.txt?token=", src, StringComparison.Ordinal);
        Assert.StartsWith("/app/contracts/contract.txt?token=", href, StringComparison.Ordinal);
        Assert.Equal("no-referrer", page.QuerySelector("img")!.GetAttribute("referrerpolicy"));
        Assert.Equal("noreferrer", page.QuerySelector("a")!.GetAttribute("rel"));

        // The test app is not mounted at /app: the token binds the PathBase-relative path, so the rest opens there.
        foreach (var url in new[] { src["/app".Length..], href["/app".Length..] })
        {
            Assert.Equal(HttpStatusCode.OK, (await _site.GetAsync(url, "alice")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await _site.GetAsync(url, "bob")).StatusCode);
        }
    }

    /// <summary>
    /// An interactive page re-renders often: the same parameters keep the same link (no image fetched again); a new
    /// parameter value or another user mints a new one.
    /// </summary>
    [Fact]
    public async Task Rerender_KeepsTheLink_UntilAParameterOrTheUserChanges()
    {
        await using var scope = _site.Host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        SignIn(services, "alice");
        Navigate(services, "http://localhost/");
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var root = await renderer.Dispatcher.InvokeAsync(() => renderer.RenderComponentAsync<Rerendering>());
        string Src() => renderer.Dispatcher.InvokeAsync(() => new HtmlParser().ParseDocument(root.ToHtmlString()).QuerySelector("img#again")!.GetAttribute("src")!).GetAwaiter().GetResult();
        var parent = Rerendering.Last!;

        var first = Src();
        await parent.RenderAgainAsync(null);
        var same = Src();
        await parent.RenderAgainAsync(TimeSpan.FromMinutes(2));
        var longer = Src();
        SignIn(services, "bob");
        await parent.RenderAgainAsync(TimeSpan.FromMinutes(2));
        var bobs = Src();

        Assert.Equal(first, same);
        Assert.NotEqual(same, longer);
        Assert.NotEqual(longer, bobs);
        Assert.Equal(HttpStatusCode.OK, (await _site.GetAsync(longer, "alice")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _site.GetAsync(bobs, "bob")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _site.GetAsync(bobs, "alice")).StatusCode);
    }

    /// <summary>
    /// Prerendering renders a page twice, statically and then in the circuit. With the folder's LinkReuseWindow on,
    /// the circuit's render gets the very URL of the static one: the browser fetches the image once.
    /// </summary>
    [Fact]
    public async Task Prerendered_ThenInteractive_WithLinkReuseWindow_SameUrl()
    {
        await using var site = await ComponentsSite.StartAsync(linkReuseWindow: TimeSpan.FromMinutes(1));
        using var response = await site.GetAsync("/documents", "alice");
        var prerendered = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("img#front")!.GetAttribute("src");

        await using var scope = site.Host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        SignIn(services, "alice");
        Navigate(services, "http://localhost/");
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<SignedImage>(
            ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(SignedImage.Src)] = "/protected/kyc/front.txt" }))).ToHtmlString());

        Assert.Equal(prerendered, new HtmlParser().ParseDocument(html).QuerySelector("img")!.GetAttribute("src"));
    }

    /// <summary>A bare renderer (an e-mail body, say): no navigation, no authentication state — unbound links without a PathBase.</summary>
    [Fact]
    public async Task BareRenderer_WithoutNavigationOrAuthentication_MintsUnboundLinks()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(_site.Host.Services.GetRequiredService<ISignedUrlGenerator>());
        await using var provider = services.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, provider.GetRequiredService<ILoggerFactory>());

        var html = await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<SignedImage>(
            ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(SignedImage.Src)] = "/protected/kyc/front.txt" }))).ToHtmlString());

        var src = new HtmlParser().ParseDocument(html).QuerySelector("img")!.GetAttribute("src")!;
        Assert.StartsWith("/protected/kyc/front.txt?token=", src, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _site.GetAsync(src, "bob")).StatusCode);
    }

    [Fact]
    public async Task WithoutAddSignedStaticFiles_TheErrorNamesTheCall()
    {
        var services = new ServiceCollection().AddLogging();
        await using var provider = services.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, provider.GetRequiredService<ILoggerFactory>());

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => renderer.Dispatcher.InvokeAsync(() => renderer.RenderComponentAsync<SignedImage>(
            ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(SignedImage.Src)] = "/protected/kyc/front.txt" }))));

        Assert.Contains("AddSignedStaticFiles", e.Message, StringComparison.Ordinal);
        Assert.Contains("<SignedImage>", e.Message, StringComparison.Ordinal);
    }
}
