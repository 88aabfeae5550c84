using System.Net;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Links;

/// <summary>
/// <c>TryGetSignedUrl</c> is meant for paths and options built from user input: over a hostile corpus it never
/// throws, and it returns false (URL null) for everything <c>GetSignedUrl</c> would throw for and for what the folder
/// cannot honour.
/// </summary>
public sealed class TryGetSignedUrlTests : IAsyncLifetime
{
    private SignedHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await SignedHost.StartAsync(o => o.MaxLifetime = TimeSpan.FromHours(1));
        _host.WriteFile("a.txt", "a");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string?> HostilePaths => new()
    {
        null,
        "",
        " ",
        "\t",
        "\u00a0",
        "~",
        "~/",
        "/",
        "//",
        "/protected",
        "/protected/",
        "protected/a.txt",
        "https://evil.example/protected/a.txt",
        "//evil.example/protected/a.txt",
        "javascript:alert(1)",
        "/elsewhere/a.txt",
        "/protectedx/a.txt",
        "/protected/../a.txt",
        "/protected/./a.txt",
        "/protected/..%2Fa.txt",
        "/protected/..%2F..%2Fetc%2Fpasswd",
        "/protected/.hidden",
        "/protected//a.txt",
        "/protected/a.txt/",
        "/protected/a\\..\\b.txt",
        "/protected/a\0.txt",
        "/protected/a\u0001.txt",
        "/protected/a\r\nSet-Cookie: x=1",
        "/protected/a\u007f.txt",
        "/protected/a\u0085.txt",
        "/protected/\uD800.txt",
        "/protected/\uDC00.txt",
        "/protected/x\uDBFF",
        "/protected/" + new string('a', 10 * 1024),
        "/protected/" + string.Concat(Enumerable.Repeat("ü/", 2000)) + "a.txt",
    };

    [Theory]
    [MemberData(nameof(HostilePaths), DisableDiscoveryEnumeration = true)] // lone surrogates must reach the test unchanged
    public void HostilePath_ReturnsFalse_NeverThrows(string? path)
    {
        var ok = _host.Generator.TryGetSignedUrl(path!, new SignedUrlOptions(), out var url);

        Assert.False(ok);
        Assert.Null(url);
    }

    public static TheoryData<string, SignedUrlOptions> HostileOptions => new()
    {
        { "unknown redaction profile", new SignedUrlOptions { Redaction = "support" } },
        { "empty redaction profile", new SignedUrlOptions { Redaction = "" } },
        { "watermark without engine or mode", new SignedUrlOptions { WatermarkText = "{user}" } },
        { "empty user id", new SignedUrlOptions { UserId = "" } },
        { "huge user id", new SignedUrlOptions { UserId = new string('u', 1025) } },
        { "zero lifetime", new SignedUrlOptions { Lifetime = TimeSpan.Zero } },
        { "negative lifetime", new SignedUrlOptions { Lifetime = TimeSpan.FromSeconds(-1) } },
        { "lifetime over the cap", new SignedUrlOptions { Lifetime = TimeSpan.FromHours(1) + TimeSpan.FromTicks(1) } },
        { "TimeSpan.MaxValue", new SignedUrlOptions { Lifetime = TimeSpan.MaxValue } },
        { "TimeSpan.MinValue", new SignedUrlOptions { Lifetime = TimeSpan.MinValue } },
        { "empty download name", new SignedUrlOptions { DownloadFileName = "" } },
        { "download name with a slash", new SignedUrlOptions { DownloadFileName = "../a.pdf" } },
        { "download name with CRLF", new SignedUrlOptions { DownloadFileName = "a\r\n.pdf" } },
        { "download name too long", new SignedUrlOptions { DownloadFileName = new string('d', 256) } },
        { "17 redaction regions", new SignedUrlOptions { RedactionRegions = Enumerable.Repeat(new RedactionRegion(0, 0, 0.1, 0.1), 17).ToArray() } },
        { "region outside the image", new SignedUrlOptions { RedactionRegions = [new RedactionRegion(0.9, 0.9, 0.5, 0.5)] } },
        { "null region", new SignedUrlOptions { RedactionRegions = [null!] } },
        { "NaN region", new SignedUrlOptions { RedactionRegions = [new RedactionRegion(double.NaN, 0, 0.1, 0.1)] } },
    };

    [Theory]
    [MemberData(nameof(HostileOptions))]
    public void HostileOptions_ReturnFalse_NeverThrow(string name, SignedUrlOptions options)
    {
        var ok = _host.Generator.TryGetSignedUrl("/protected/a.txt", options, out var url);

        Assert.False(ok, name);
        Assert.Null(url);
    }

    /// <summary>Each value valid on its own, together too long for the folder's URL budget: refused, not handed out.</summary>
    [Fact]
    public async Task OptionsTooLongForTheUrlBudget_ReturnFalse()
    {
        await using var host = await SignedHost.StartAsync(o => o.MaxUrlLength = 512);
        var options = new SignedUrlOptions { UserId = new string('u', 300), DownloadFileName = new string('d', 200) };

        Assert.False(host.Generator.TryGetSignedUrl("/protected/a.txt", options, out var url));
        Assert.Null(url);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => host.Generator.GetSignedUrl("/protected/a.txt", options)).ParamName);
        Assert.False(host.Generator.TryGetSignedUrl("/protected/" + new string('p', 600), new SignedUrlOptions(), out _));
    }

    [Fact]
    public void NullOptions_ReturnFalse()
    {
        Assert.False(_host.Generator.TryGetSignedUrl("/protected/a.txt", null!, out var url));
        Assert.Null(url);
    }

    /// <summary>Whatever a corpus input gives, GetSignedUrl and TryGetSignedUrl agree: a false is a throw, a true a URL.</summary>
    [Theory]
    [MemberData(nameof(HostileOptions))]
    public void TryAndGet_Agree(string name, SignedUrlOptions options)
    {
        var threw = Record.Exception(() => _host.Generator.GetSignedUrl("/protected/a.txt", options));

        Assert.True(threw is ArgumentException, name + ": " + threw);
    }

    /// <summary>
    /// Percent signs are part of a file name, never an escape: the link names the literal file, which does not exist,
    /// and nothing above the folder is reached.
    /// </summary>
    [Theory]
    [InlineData("/protected/%2e%2e/a.txt")]
    [InlineData("/protected/x%2F..%2F..%2Fa.txt")]
    [InlineData("/protected/%252e%252e/a.txt")]
    public async Task LiteralPercentNames_AreSignedAsNames_AndReachNothingElse(string path)
    {
        Assert.True(_host.Generator.TryGetSignedUrl(path, new SignedUrlOptions(), out var url));

        Assert.DoesNotContain("%2e", url[..url.IndexOf('?')], StringComparison.OrdinalIgnoreCase);
        using var response = await _host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>A folder whose cap is as large as a TimeSpan goes: the expiry cannot be represented, and that is a refusal, not an overflow.</summary>
    [Fact]
    public async Task UnboundedCap_LifetimeBeyondTheCalendar_ReturnsFalse()
    {
        await using var host = await SignedHost.StartAsync(o => o.MaxLifetime = TimeSpan.MaxValue);

        Assert.False(host.Generator.TryGetSignedUrl("/protected/a.txt", new SignedUrlOptions { Lifetime = TimeSpan.MaxValue }, out var url));
        Assert.Null(url);
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { Lifetime = TimeSpan.MaxValue })).ParamName);
        Assert.Equal("lifetime", Assert.Throws<ArgumentOutOfRangeException>(() => host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.MaxValue)).ParamName);
    }

    /// <summary>The same with a link-reuse window as large as the cap allows: the window never pushes the expiry past the calendar.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(7_000 * 365)]
    [InlineData(7_900 * 365)]
    public async Task UnboundedCapAndReuseWindow_NeverThrow(int days)
    {
        await using var host = await SignedHost.StartAsync(o =>
        {
            o.MaxLifetime = TimeSpan.MaxValue;
            o.LinkReuseWindow = TimeSpan.FromDays(20_000 * 365);
        });

        var ok = host.Generator.TryGetSignedUrl("/protected/a.txt", new SignedUrlOptions { Lifetime = TimeSpan.FromDays(days) }, out var url);

        Assert.True(ok);
        Assert.NotNull(url);
        Assert.True(host.Generator.TryGetSignedUrl("/protected/a.txt", new SignedUrlOptions { Lifetime = TimeSpan.FromDays(days) }, out var again));
        Assert.Equal(url, again);
    }
}
