using System.Net;
using System.Net.Http.Headers;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Middleware;

/// <summary>
/// With a valid link, the protected path answers exactly what the framework's UseStaticFiles answers for
/// the same file: each case is sent to <c>/public/…</c> (UseStaticFiles over the local folder) and to
/// <c>/protected/…?token=</c> in the same test, and status, the framework's headers and the body are compared.
/// RFC 9110 §13 (preconditions), §14 (ranges), §9.3.2 (HEAD).
/// </summary>
/// <remarks>
/// The same table runs against every store: a subclass serves <c>/protected</c> from its store (S3, Azure
/// Blobs) and writes each file both there and into the local folder behind <c>/public</c>. The answers of a
/// store then differ from UseStaticFiles' only in the validators, by design: its <c>ETag</c> is the object's
/// own version (the store's ETag, quoted) and its <c>Last-Modified</c> the object's own time, both read with
/// the store's SDK. Each side's validators are replaced by placeholders before the headers are compared, and
/// each side's conditional requests (<c>If-Match: {etag}</c>, <c>If-Range: {lm}</c>) carry its own.
/// </remarks>
public abstract class StaticFileConformance : IAsyncLifetime
{
    protected const string File = "docs/sample.txt";
    protected static readonly byte[] Content = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 100).Select(i => $"line {i:D3}\n")));

    private SignedHost _host = null!;
    private Validators _public = null!;
    private Validators _protected = null!;

    public async Task InitializeAsync()
    {
        _host = await StartHostAsync();
        await WriteAsync(_host, File, Content);
        foreach (var name in new[] { "a.jpg", "a.png", "a.pdf", "a.svg", "a.json", "a.html", "a.css", "a.webp", "a.unknownext" })
        {
            await WriteAsync(_host, "types/" + name, [1, 2, 3]);
        }

        var probe = await _host.Client.GetAsync("/public/" + File);
        _public = new Validators(probe.Headers.ETag!.Tag, probe.Content.Headers.LastModified!.Value.ToString("R"));
        _protected = await ProtectedValidatorsAsync(File, _public);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Starts a host serving <c>/protected</c> (from the folder's files) and <c>/public</c> (UseStaticFiles over the local folder).</summary>
    private protected virtual Task<SignedHost> StartHostAsync(Action<SignedStaticFilesOptions>? configure = null) => SignedHost.StartAsync(configure);

    /// <summary>Writes a file where both paths read it: for the local folder, its root (which <c>/public</c> serves too).</summary>
    private protected virtual Task WriteAsync(SignedHost host, string relativePath, byte[] content)
    {
        host.WriteFile(relativePath, content);
        return Task.CompletedTask;
    }

    /// <summary>The validators <c>/protected</c> must send for a file: for the local folder, UseStaticFiles' own.</summary>
    protected virtual Task<Validators> ProtectedValidatorsAsync(string relativePath, Validators publicOnes) => Task.FromResult(publicOnes);

    /// <summary>Case name → request headers ("{etag}" and "{lm}" are replaced by the file's own).</summary>
    public static TheoryData<string, string, string[]> Cases => new()
    {
        { "GET", "GET", [] },
        { "HEAD", "HEAD", [] },
        { "single range", "GET", ["Range: bytes=0-9"] },
        { "suffix range", "GET", ["Range: bytes=-5"] },
        { "open range", "GET", ["Range: bytes=990-"] },
        { "range past the end is clipped", "GET", ["Range: bytes=995-5000"] },
        { "unsatisfiable range", "GET", ["Range: bytes=5000-6000"] },
        { "invalid range ignored", "GET", ["Range: bytes=abc"] },
        { "other unit ignored", "GET", ["Range: items=0-1"] },
        { "multiple ranges served whole", "GET", ["Range: bytes=0-1,5-6"] },
        { "HEAD with range", "HEAD", ["Range: bytes=0-9"] },
        { "If-None-Match same", "GET", ["If-None-Match: {etag}"] },
        { "If-None-Match star", "GET", ["If-None-Match: *"] },
        { "If-None-Match other", "GET", ["If-None-Match: \"other\""] },
        { "If-None-Match same on HEAD", "HEAD", ["If-None-Match: {etag}"] },
        { "If-Match same", "GET", ["If-Match: {etag}"] },
        { "If-Match other", "GET", ["If-Match: \"other\""] },
        { "If-Match star", "GET", ["If-Match: *"] },
        { "If-Modified-Since same", "GET", ["If-Modified-Since: {lm}"] },
        { "If-Modified-Since old", "GET", ["If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT"] },
        { "If-Modified-Since invalid", "GET", ["If-Modified-Since: yesterday"] },
        { "If-Unmodified-Since old", "GET", ["If-Unmodified-Since: Mon, 01 Jan 2001 00:00:00 GMT"] },
        { "If-Unmodified-Since same", "GET", ["If-Unmodified-Since: {lm}"] },
        { "If-Range same etag", "GET", ["Range: bytes=0-9", "If-Range: {etag}"] },
        { "If-Range other etag", "GET", ["Range: bytes=0-9", "If-Range: \"other\""] },
        { "If-Range same date", "GET", ["Range: bytes=0-9", "If-Range: {lm}"] },
        { "If-Range old date", "GET", ["Range: bytes=0-9", "If-Range: Mon, 01 Jan 2001 00:00:00 GMT"] },
        { "If-None-Match wins over If-Modified-Since", "GET", ["If-None-Match: \"other\"", "If-Modified-Since: {lm}"] },
        { "If-Match other with range", "GET", ["If-Match: \"other\"", "Range: bytes=0-9"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SignedRequest_AnswersLikeUseStaticFiles(string name, string method, string[] headers)
    {
        var expected = await SendAsync("/public/" + File, method, headers, _public);
        var actual = await SendAsync(_host.Generator.GetSignedUrl("/protected/" + File), method, headers, _protected);

        Assert.True(expected.Status == actual.Status, $"{name}: status {actual.Status}, UseStaticFiles {expected.Status}");
        Assert.True(expected.Headers == actual.Headers, $"{name}: headers\n{actual.Headers}\nUseStaticFiles\n{expected.Headers}");
        Assert.Equal(expected.Body, actual.Body);
    }

    [Theory]
    [InlineData("a.jpg")]
    [InlineData("a.png")]
    [InlineData("a.pdf")]
    [InlineData("a.svg")]
    [InlineData("a.json")]
    [InlineData("a.html")]
    [InlineData("a.css")]
    [InlineData("a.webp")]
    public async Task ContentType_IsTheFrameworks(string name)
    {
        var expected = await _host.Client.GetAsync("/public/types/" + name);
        var actual = await _host.Client.GetAsync(_host.Generator.GetSignedUrl("/protected/types/" + name));

        Assert.Equal(HttpStatusCode.OK, actual.StatusCode);
        Assert.Equal(expected.Content.Headers.ContentType, actual.Content.Headers.ContentType);
    }

    [Fact]
    public async Task UnknownFileType_IsNotServed_LikeUseStaticFiles()
    {
        var expected = await _host.Client.GetAsync("/public/types/a.unknownext");
        var actual = await _host.Client.GetAsync(_host.Generator.GetSignedUrl("/protected/types/a.unknownext"));

        Assert.Equal(HttpStatusCode.NotFound, expected.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, actual.StatusCode);
        Assert.Equal("application/problem+json", actual.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownFileType_IsServed_WhenServeUnknownFileTypes()
    {
        await using var host = await StartHostAsync(o =>
        {
            o.ServeUnknownFileTypes = true;
            o.DefaultContentType = "application/octet-stream";
        });
        await WriteAsync(host, "a.unknownext", [1, 2, 3]);

        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/a.unknownext"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([1, 2, 3], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ETag_DoesNotDependOnTheToken()
    {
        var first = await _host.Client.GetAsync(_host.Generator.GetSignedUrl("/protected/" + File));
        var second = await _host.Client.GetAsync(_host.Generator.GetSignedUrl("/protected/" + File, TimeSpan.FromMinutes(1)));

        Assert.Equal(_protected.ETag, first.Headers.ETag?.Tag);
        Assert.Equal(_protected.ETag, second.Headers.ETag?.Tag);
    }

    private async Task<Answer> SendAsync(string url, string method, string[] headers, Validators validators)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        foreach (var header in headers)
        {
            var (key, value) = (header[..header.IndexOf(':')], header[(header.IndexOf(':') + 1)..].Trim());
            request.Headers.TryAddWithoutValidation(key, value.Replace("{etag}", validators.ETag).Replace("{lm}", validators.LastModified));
        }

        using var response = await _host.Client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        return new Answer((int)response.StatusCode, FrameworkHeaders(response, validators), body);
    }

    /// <summary>
    /// The headers UseStaticFiles decides (the protected path adds its security headers on top), with this
    /// side's own validators replaced by placeholders.
    /// </summary>
    private static string FrameworkHeaders(HttpResponseMessage response, Validators validators)
    {
        static string? One(HttpHeaders headers, string name) => headers.TryGetValues(name, out var v) ? string.Join(",", v) : null;
        var names = new[] { "ETag", "Accept-Ranges", "Last-Modified", "Content-Type", "Content-Length", "Content-Range" };
        return string.Join("\n", names.Select(n => $"{n}: {One(response.Headers, n) ?? One(response.Content.Headers, n)}"))
            .Replace("ETag: " + validators.ETag, "ETag: {etag}", StringComparison.Ordinal)
            .Replace("Last-Modified: " + validators.LastModified, "Last-Modified: {lm}", StringComparison.Ordinal);
    }

    /// <summary>A file's validators as sent: the quoted entity tag and the HTTP date.</summary>
    public sealed record Validators(string ETag, string LastModified);

    private sealed record Answer(int Status, string Headers, byte[] Body);
}
