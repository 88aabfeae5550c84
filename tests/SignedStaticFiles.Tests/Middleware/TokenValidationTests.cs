using System.Buffers.Text;
using System.Net;
using System.Text.Json;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Middleware;

/// <summary>T1 tampering, T2 reuse on another path, T3 expiry, T12 oversized tokens (docs/security-model.md, docs/responses.md).</summary>
public sealed class TokenValidationTests : IAsyncLifetime
{
    private SignedHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await SignedHost.StartAsync();
        _host.WriteFile("kyc/42/front.txt", "front");
        _host.WriteFile("kyc/42/back.txt", "back");
        _host.WriteFile("kyc/43/front.txt", "someone else");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task MissingToken_Returns403ProblemJson()
    {
        var response = await _host.Client.GetAsync("/protected/kyc/42/front.txt");
        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "Signed link required");
    }

    [Fact]
    public async Task EmptyToken_Returns403()
    {
        var response = await _host.Client.GetAsync("/protected/kyc/42/front.txt?token=");
        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "Signed link required");
    }

    [Fact]
    public async Task EverySingleBitFlipOfARealToken_Returns403()
    {
        var url = _host.Generator.GetSignedUrl("/protected/kyc/42/front.txt");
        var (path, token) = Split(url);
        var bytes = Base64Url.DecodeFromChars(token);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync(url)).StatusCode);

        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            var response = await _host.Client.GetAsync(path + "?token=" + Base64Url.EncodeToString(flipped));
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
        }

        Assert.Equal(bytes.Length * 8, Assert.Single(statuses, s => s.Key == HttpStatusCode.Forbidden).Value);
    }

    [Fact]
    public async Task TruncatedOrExtendedToken_Returns403()
    {
        var (path, token) = Split(_host.Generator.GetSignedUrl("/protected/kyc/42/front.txt"));
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.Client.GetAsync(path + "?token=" + token[..^4])).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.Client.GetAsync(path + "?token=" + token + "AAAA")).StatusCode);
    }

    [Theory]
    [InlineData("/protected/kyc/42/back.txt")]
    [InlineData("/protected/kyc/43/front.txt")]
    [InlineData("/protected/kyc/42/FRONT.txt")]
    [InlineData("/protected/kyc/42/front.txt.bak")]
    public async Task TokenForOneFile_OnAnotherPath_Returns403(string otherPath)
    {
        var (_, token) = Split(_host.Generator.GetSignedUrl("/protected/kyc/42/front.txt"));
        _host.WriteFile("kyc/42/front.txt.bak", "backup");

        var response = await _host.Client.GetAsync(otherPath + "?token=" + token);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "Link not valid for this file");
    }

    [Fact]
    public async Task TwoTokens_Returns403()
    {
        var (path, token) = Split(_host.Generator.GetSignedUrl("/protected/kyc/42/front.txt"));
        var response = await _host.Client.GetAsync($"{path}?token={token}&token={token}");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TokenInAnotherParameter_Returns403()
    {
        var (path, token) = Split(_host.Generator.GetSignedUrl("/protected/kyc/42/front.txt"));
        var response = await _host.Client.GetAsync($"{path}?t={token}");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ExpiredLink_Returns410_ToTheSecond()
    {
        var url = _host.Generator.GetSignedUrl("/protected/kyc/42/front.txt", TimeSpan.FromMinutes(1));

        _host.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync(url)).StatusCode);

        _host.Time.Advance(TimeSpan.FromSeconds(1));
        await AssertProblemAsync(await _host.Client.GetAsync(url), HttpStatusCode.Gone, "Link expired");
    }

    [Fact]
    public async Task ExpiredLink_OnAnotherPath_Returns403NotGone()
    {
        var (_, token) = Split(_host.Generator.GetSignedUrl("/protected/kyc/42/front.txt", TimeSpan.FromMinutes(1)));
        _host.Time.Advance(TimeSpan.FromHours(1));

        var response = await _host.Client.GetAsync("/protected/kyc/43/front.txt?token=" + token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task HundredKilobyteToken_Returns403()
    {
        var response = await _host.Client.GetAsync("/protected/kyc/42/front.txt?token=" + new string('A', 100 * 1024));
        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "Invalid link");
    }

    [Fact]
    public async Task ValidToken_OtherPathsPassThroughUntouched()
    {
        var response = await _host.Client.GetAsync("/elsewhere/file.txt");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Robots-Tag"));
    }

    [Fact]
    public async Task RequestPathPrefix_IsMatchedOnSegments()
    {
        // "/protectedX" is not below "/protected": it passes through to the rest of the app.
        var response = await _host.Client.GetAsync("/protectedX/kyc/42/front.txt");
        Assert.False(response.Headers.Contains("X-Robots-Tag"));
    }

    [Fact]
    public async Task ProblemBody_NeverEchoesTheToken()
    {
        var (path, token) = Split(_host.Generator.GetSignedUrl("/protected/kyc/42/front.txt"));
        var body = await (await _host.Client.GetAsync("/protected/kyc/43/front.txt?token=" + token)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
        Assert.DoesNotContain(token[..20], body, StringComparison.Ordinal);
        Assert.DoesNotContain(path, body, StringComparison.Ordinal);
    }

    internal static (string Path, string Token) Split(string url)
    {
        var q = url.IndexOf("?token=", StringComparison.Ordinal);
        return (url[..q], url[(q + 7)..]);
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(title, json.RootElement.GetProperty("title").GetString());
    }
}
