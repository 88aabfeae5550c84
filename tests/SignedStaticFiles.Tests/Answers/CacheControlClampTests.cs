using System.Net;
using System.Net.Http.Headers;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Answers;

/// <summary>
/// A folder may let browsers keep a copy (<c>private, max-age=N</c>), but never past the link's own end: the
/// <c>max-age</c> sent is at most the seconds the link has left. A refusal is never kept (max-age 0), so a
/// transient 503 or a 404 of a file that arrives later does not stick in the browser.
/// </summary>
public sealed class CacheControlClampTests
{
    private static Task<SignedHost> StartAsync(string cacheControl) =>
        SignedHost.StartAsync(o =>
        {
            o.CacheControl = cacheControl;
            o.MaxLifetime = TimeSpan.FromDays(1);
        });

    [Fact]
    public async Task MaxAgeLongerThanTheLink_IsClampedToTheSecondsLeft()
    {
        await using var host = await StartAsync("private, max-age=3600");
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromMinutes(2));

        using var fresh = await host.Client.GetAsync(url);
        host.Time.Advance(TimeSpan.FromSeconds(90.5));
        using var later = await host.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), fresh.Headers.CacheControl!.MaxAge);
        Assert.True(fresh.Headers.CacheControl.Private);
        Assert.Equal(TimeSpan.FromSeconds(29), later.Headers.CacheControl!.MaxAge);
    }

    [Fact]
    public async Task MaxAgeShorterThanTheLink_IsKept_WithTheOtherDirectives()
    {
        await using var host = await StartAsync("private, max-age=60, must-revalidate");
        host.WriteFile("a.txt", "a");

        using var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromHours(1)));

        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.CacheControl!.MaxAge);
        Assert.True(response.Headers.CacheControl.Private);
        Assert.True(response.Headers.CacheControl.MustRevalidate);
    }

    [Theory]
    [InlineData("Private, Max-Age=86400")]
    [InlineData("private,max-age=86400")]
    [InlineData("private, max-age=\"86400\"")]
    [InlineData("private, max-age=99999999999999999999")]
    public async Task AnySpellingOfMaxAge_IsClamped(string cacheControl)
    {
        await using var host = await StartAsync(cacheControl);
        host.WriteFile("a.txt", "a");

        using var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromMinutes(5)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl!.MaxAge);
        Assert.Single(response.Headers.NonValidated["Cache-Control"].ToString().Split(','), d => d.Contains("max-age", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task PartialAndNotModifiedAnswers_AreClampedToo()
    {
        await using var host = await StartAsync("private, max-age=3600");
        host.WriteFile("a.txt", "0123456789");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromMinutes(1));

        using var first = await host.Client.GetAsync(url);
        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(0, 1) } };
        using var partial = await host.Client.SendAsync(rangeRequest);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await host.Client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), partial.Headers.CacheControl!.MaxAge);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), notModified.Headers.CacheControl!.MaxAge);
    }

    [Fact]
    public async Task Refusals_AreNeverKept()
    {
        await using var host = await StartAsync("private, max-age=3600");
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromMinutes(1));

        using var missingToken = await host.Client.GetAsync("/protected/a.txt");
        using var missingFile = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/not-yet.txt", TimeSpan.FromMinutes(10)));
        host.Time.Advance(TimeSpan.FromMinutes(2));
        using var expired = await host.Client.GetAsync(url);

        foreach (var (response, status) in new[] { (missingToken, HttpStatusCode.Forbidden), (missingFile, HttpStatusCode.NotFound), (expired, HttpStatusCode.Gone) })
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(TimeSpan.Zero, response.Headers.CacheControl!.MaxAge);
            Assert.True(response.Headers.CacheControl.Private);
        }
    }

    [Fact]
    public async Task NoStore_IsLeftAlone()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "a");

        using var served = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/a.txt"));
        using var refused = await host.Client.GetAsync("/protected/a.txt");

        Assert.Equal("private, no-store", served.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal("private, no-store", refused.Headers.NonValidated["Cache-Control"].ToString());
    }
}
