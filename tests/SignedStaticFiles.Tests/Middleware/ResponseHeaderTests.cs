using System.Net;
using System.Net.Http.Headers;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Middleware;

/// <summary>T9 (Referer, caches, search engines), T10 (stored XSS), 405, downloads (docs/security-model.md, docs/responses.md).</summary>
public sealed class ResponseHeaderTests : IAsyncLifetime
{
    private SignedHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await SignedHost.StartAsync();
        _host.WriteFile("a.txt", string.Concat(Enumerable.Repeat("0123456789", 10)));
        _host.WriteFile("evil.html", "<script>document.title='pwned'</script>");
        _host.WriteFile("evil.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public enum Answer { Ok, Partial, NotModified, RangeNotSatisfiable, PreconditionFailed, Head, MissingToken, Forged, Expired, NotFound, MethodNotAllowed }

    [Theory]
    [InlineData(Answer.Ok, 200)]
    [InlineData(Answer.Partial, 206)]
    [InlineData(Answer.NotModified, 304)]
    [InlineData(Answer.RangeNotSatisfiable, 416)]
    [InlineData(Answer.PreconditionFailed, 412)]
    [InlineData(Answer.Head, 200)]
    [InlineData(Answer.MissingToken, 403)]
    [InlineData(Answer.Forged, 403)]
    [InlineData(Answer.Expired, 410)]
    [InlineData(Answer.NotFound, 404)]
    [InlineData(Answer.MethodNotAllowed, 405)]
    public async Task EveryAnswerOfThePath_CarriesTheLeakSafeHeaders(Answer answer, int status)
    {
        var url = _host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromMinutes(1));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        switch (answer)
        {
            case Answer.Partial: request.Headers.Range = new RangeHeaderValue(0, 3); break;
            case Answer.NotModified: request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any); break;
            case Answer.RangeNotSatisfiable: request.Headers.Range = new RangeHeaderValue(500, 600); break;
            case Answer.PreconditionFailed: request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"nope\"")); break;
            case Answer.Head: request.Method = HttpMethod.Head; break;
            case Answer.MissingToken: request.RequestUri = new Uri("/protected/a.txt", UriKind.Relative); break;
            case Answer.Forged: request.RequestUri = new Uri("/protected/a.txt?token=AAAAAAAAAAAAAAAAAAAA", UriKind.Relative); break;
            case Answer.Expired: _host.Time.Advance(TimeSpan.FromMinutes(2)); break;
            case Answer.NotFound: request.RequestUri = new Uri(_host.Generator.GetSignedUrl("/protected/missing.txt"), UriKind.Relative); break;
            case Answer.MethodNotAllowed: request.Method = HttpMethod.Post; break;
        }

        var response = await _host.Client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("private, no-store", Header(response, "Cache-Control"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("noindex, nofollow", Header(response, "X-Robots-Tag"));
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Resource-Policy"));
        Assert.Contains("sandbox", Header(response, "Content-Security-Policy")!.Split(';', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task CacheControl_IsTheOption()
    {
        await using var host = await SignedHost.StartAsync(o => o.CacheControl = "private, max-age=60");
        host.WriteFile("a.txt", "a");
        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/a.txt"));
        Assert.Equal("private, max-age=60", Header(response, "Cache-Control"));
    }

    [Theory]
    [InlineData("evil.html", "text/html")]
    [InlineData("evil.svg", "image/svg+xml")]
    public async Task UploadedActiveContent_RunsSandboxed_NeverAsTheAppsOrigin(string file, string contentType)
    {
        var response = await _host.Client.GetAsync(_host.Generator.GetSignedUrl("/protected/" + file));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        var csp = Header(response, "Content-Security-Policy")!.Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("sandbox", csp);
        Assert.Contains("default-src 'none'", csp);
        Assert.DoesNotContain(csp, d => d.StartsWith("script-src", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    [InlineData("PATCH")]
    [InlineData("TRACE")]
    public async Task OtherMethods_Return405WithAllow(string method)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), _host.Generator.GetSignedUrl("/protected/a.txt"));
        var response = await _host.Client.SendAsync(request);

        await TokenValidationTests.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "Method not allowed");
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task HeadOfARefusal_HasNoBody()
    {
        var response = await _host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/protected/a.txt"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("contract.pdf", "attachment; filename=contract.pdf; filename*=UTF-8''contract.pdf")]
    [InlineData("Zoë's contract.pdf", "attachment; filename=\"Zo_'s contract.pdf\"; filename*=UTF-8''Zo%C3%AB%27s%20contract.pdf")]
    public async Task DownloadFileName_IsAnAttachment(string name, string disposition)
    {
        var response = await _host.Client.GetAsync(_host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { DownloadFileName = name }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(disposition, response.Content.Headers.ContentDisposition?.ToString());
    }

    [Fact]
    public async Task NoDownloadFileName_IsInline()
    {
        var response = await _host.Client.GetAsync(_host.Generator.GetSignedUrl("/protected/a.txt"));
        Assert.Null(response.Content.Headers.ContentDisposition);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) || response.Content.Headers.NonValidated.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
