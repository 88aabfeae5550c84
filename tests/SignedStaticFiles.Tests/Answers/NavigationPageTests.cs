using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Answers;

/// <summary>
/// A person who opens a refused link in a tab reads a small HTML page with the same status, never raw JSON; an
/// <c>&lt;img&gt;</c> or script fetch still gets problem+json. The page echoes neither the path nor the token.
/// </summary>
public sealed class NavigationPageTests : IAsyncLifetime
{
    private const string SecretName = "passport-of-alice-4711.txt";
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    private SignedHost _host = null!;

    public async Task InitializeAsync()
    {
        // The app's ProblemDetails service is registered: the page still takes priority for a navigation.
        _host = await SignedHost.StartAsync(builder: b => b.Services.AddProblemDetails());
        _host.WriteFile("a.txt", "a");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static HttpRequestMessage Navigation(string url, string? mode = "navigate", string? dest = "document", string accept = BrowserAccept, string method = "GET")
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (mode is not null)
        {
            request.Headers.Add("Sec-Fetch-Mode", mode);
        }

        if (dest is not null)
        {
            request.Headers.Add("Sec-Fetch-Dest", dest);
        }

        return request;
    }

    [Theory]
    [InlineData("navigate", "document")]
    [InlineData("navigate", null)]
    [InlineData(null, "document")]
    [InlineData("navigate", "iframe")]
    [InlineData(null, "iframe")]
    public async Task BrowserNavigation_GetsAnHtmlPage_WithTheSameStatus(string? mode, string? dest)
    {
        const string token = "forged-token-value-0123456789";
        using var response = await _host.Client.SendAsync(Navigation($"/protected/{SecretName}?token={token}", mode, dest));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains("<title>Invalid link</title>", page, StringComparison.Ordinal);
        Assert.Equal(page.Length, response.Content.Headers.ContentLength);
        Assert.DoesNotContain(SecretName, page, StringComparison.Ordinal);
        Assert.DoesNotContain("passport", page, StringComparison.Ordinal);
        Assert.DoesNotContain(token, page, StringComparison.Ordinal);
        Assert.DoesNotContain("/protected", page, StringComparison.Ordinal);
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task EachRefusal_HasItsOwnPage()
    {
        var expired = _host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromMinutes(1));
        var missing = _host.Generator.GetSignedUrl("/protected/" + SecretName);
        _host.Time.Advance(TimeSpan.FromMinutes(2));
        var fresh = _host.Generator.GetSignedUrl("/protected/" + SecretName);

        using var gone = await _host.Client.SendAsync(Navigation(expired));
        using var notFound = await _host.Client.SendAsync(Navigation(fresh));

        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Contains("<title>Link expired</title>", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        var page = await notFound.Content.ReadAsStringAsync();
        Assert.Contains("<title>File not found</title>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretName, page, StringComparison.Ordinal);
        Assert.NotEqual(missing, fresh);
    }

    [Fact]
    public async Task ServedLink_OpenedInATab_IsTheFile()
    {
        using var response = await _host.Client.SendAsync(Navigation(_host.Generator.GetSignedUrl("/protected/a.txt")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("a", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "no-cors", "image")]
    [InlineData("*/*", "cors", "empty")]
    [InlineData("text/html,*/*", "cors", "empty")]
    [InlineData("text/html", null, null)]
    [InlineData("text/css,*/*;q=0.1", "no-cors", "style")]
    public async Task SubresourceOrScriptFetch_GetsProblemJson(string accept, string? mode, string? dest)
    {
        using var response = await _host.Client.SendAsync(Navigation("/protected/a.txt", mode, dest, accept));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task HeadNavigation_HasNoBody()
    {
        using var response = await _host.Client.SendAsync(Navigation("/protected/a.txt", method: "HEAD"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
