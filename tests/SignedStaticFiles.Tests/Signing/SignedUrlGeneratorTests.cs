using System.Net;
using Microsoft.AspNetCore.Builder;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Signing;

public sealed class SignedUrlGeneratorTests : IAsyncLifetime
{
    private SignedHost _host = null!;

    public async Task InitializeAsync() => _host = await SignedHost.StartAsync(o => o.MaxLifetime = TimeSpan.FromHours(2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Mint → put in HTML → parse the attribute back as a browser would → request → 200 with the file.</summary>
    [Theory]
    [InlineData("my file.txt")]
    [InlineData("a#b.txt")]
    [InlineData("q?x=1.txt")]
    [InlineData("c+d.txt")]
    [InlineData("100%.txt")]
    [InlineData("%41.txt")]
    [InlineData("ça & va.txt")]
    [InlineData("Zoë Ñandú.txt")]
    [InlineData("身份证.txt")]
    [InlineData("quote\"s'.txt")]
    [InlineData("semi;colon,comma=eq.txt")]
    [InlineData("dir with space/ü/file.txt")]
    public async Task PathWithSpecialCharacters_RoundTripsThroughHtml(string name)
    {
        _host.WriteFile(name, "content of " + name);
        var url = _host.Generator.GetSignedUrl("/protected/" + name);
        var html = $"<img src=\"{System.Net.WebUtility.HtmlEncode(url)}\">";
        var src = System.Net.WebUtility.HtmlDecode(html[10..html.LastIndexOf('"')]);

        var response = await _host.Client.GetAsync(new Uri(new Uri("http://localhost"), src));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("content of " + name, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Url_IsThePercentEncodedPathPlusTheToken()
    {
        var url = _host.Generator.GetSignedUrl("~/protected/kyc/my file#1.jpg");
        Assert.StartsWith("/protected/kyc/my%20file%231.jpg?token=", url, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]+$", url[(url.IndexOf('=') + 1)..]);
    }

    [Fact]
    public void EveryLink_IsDifferent()
    {
        Assert.NotEqual(_host.Generator.GetSignedUrl("/protected/a.txt"), _host.Generator.GetSignedUrl("/protected/a.txt"));
    }

    [Fact]
    public async Task DefaultLifetime_IsTheOption()
    {
        _host.WriteFile("a.txt", "a");
        var url = _host.Generator.GetSignedUrl("/protected/a.txt");

        _host.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync(url)).StatusCode);
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Gone, (await _host.Client.GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(7201)]
    public void LifetimeOutOfRange_Throws(int seconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromSeconds(seconds)));
        Assert.Contains("MaxLifetime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxLifetime_IsAllowed()
    {
        Assert.NotNull(_host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromHours(2)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b.pdf")]
    [InlineData("a\\b.pdf")]
    [InlineData("evil\r\nSet-Cookie: x=1")]
    [InlineData("nul\0.pdf")]
    public void BadDownloadFileName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => _host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { DownloadFileName = name }));
    }

    [Fact]
    public void EmptyUserId_Throws()
    {
        Assert.Throws<ArgumentException>(() => _host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { UserId = "" }));
    }

    [Fact]
    public void NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => _host.Generator.GetSignedUrl(null!));
        Assert.Throws<ArgumentNullException>(() => _host.Generator.GetSignedUrl("/protected/a.txt", (SignedUrlOptions)null!));
    }

    [Fact]
    public async Task LinkBindsThePathBaseRelativePath_SoItWorksBehindAPathBase()
    {
        await using var host = await SignedHost.StartAsync(pipeline: app =>
        {
            app.UsePathBase("/app");
            app.UseSignedStaticFiles();
        });
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/app" + url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
    }
}
