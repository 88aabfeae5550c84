using System.Net;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Middleware;

/// <summary>
/// The middleware reads the token from the raw query string without building <c>Request.Query</c>; it
/// must read it exactly as <c>Request.Query</c> would.
/// </summary>
public sealed class TokenQueryTests : IAsyncLifetime
{
    private SignedHost _host = null!;
    private string _path = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _host = await SignedHost.StartAsync();
        _host.WriteFile("a.txt", "a");
        var url = _host.Generator.GetSignedUrl("/protected/a.txt");
        _path = url[..url.IndexOf('?', StringComparison.Ordinal)];
        _token = url[(url.IndexOf('=', StringComparison.Ordinal) + 1)..];
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("?token={0}")]
    [InlineData("?a=1&token={0}&b=2")]
    [InlineData("?TOKEN={0}")]             // names are case-insensitive, as in Request.Query
    [InlineData("?%74oken={0}")]           // a percent-encoded name ('t')
    [InlineData("?token={0}&other=&=x&&")]
    public async Task Token_IsFound_WhereRequestQueryFindsIt(string query)
    {
        Assert.Equal(HttpStatusCode.OK, await Get(query));
    }

    [Fact]
    public async Task PercentEncodedToken_IsDecodedAsRequestQueryDecodesIt()
    {
        var encoded = string.Concat(_token.Select(c => $"%{(int)c:X2}"));
        Assert.Equal(HttpStatusCode.OK, await Get("?token=" + encoded));
    }

    [Theory]
    [InlineData("?token={0}&token={0}")]   // two tokens: refused even when both are the same good one
    [InlineData("?token={0}&TOKEN=x")]
    public async Task TwoTokens_AreRefused(string query)
    {
        Assert.Equal(HttpStatusCode.Forbidden, await Get(query));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?token=")]
    [InlineData("?token")]
    [InlineData("?token=&token={0}")]
    [InlineData("?tokens={0}")]
    public async Task NoUsableToken_IsRefused(string query)
    {
        Assert.Equal(HttpStatusCode.Forbidden, await Get(query));
    }

    private async Task<HttpStatusCode> Get(string query)
    {
        using var response = await _host.Client.GetAsync(_path + string.Format(System.Globalization.CultureInfo.InvariantCulture, query, _token));
        return response.StatusCode;
    }
}
