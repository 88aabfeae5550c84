using System.Net;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Promises;

/// <summary>
/// Minting never hands out a link that serving would refuse: the generator owns every rule serving applies (the
/// token and URL length budget, the folder, the lifetime cap, the path rules) and throws naming the parameter at
/// fault (docs/security-model.md: oversized tokens).
/// </summary>
public sealed class NoDeadLinksTests
{
    [Fact]
    public async Task EveryLinkMinted_IsServed_AtEveryPathLength()
    {
        await using var host = await SignedHost.StartAsync();
        var minted = 0;
        var refused = 0;
        for (var segments = 1; segments <= 15; segments++)
        {
            var relative = string.Join('/', Enumerable.Range(0, segments).Select(i => new string((char)('a' + i), 200))) + ".txt";
            host.WriteFile(relative, "deep");
            var path = "/protected/" + relative;
            var generator = host.Generator;
            if (generator.TryGetSignedUrl(path, new SignedUrlOptions(), out var url))
            {
                minted++;
                using var response = await host.Client.GetAsync(url);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{segments} segments: minted a {url.Length}-character link that answers {(int)response.StatusCode}");
            }
            else
            {
                refused++;
                var error = Assert.Throws<ArgumentException>(() => generator.GetSignedUrl(path));
                Assert.Equal("path", error.ParamName);
                Assert.Contains("MaxUrlLength", error.Message, StringComparison.Ordinal);
            }
        }

        Assert.True(minted > 0 && refused > 0, $"minted {minted}, refused {refused}: the corpus must cross the budget");
    }

    [Fact]
    public async Task OptionsPushingTheUrlOverTheBudget_ThrowNamingOptions()
    {
        await using var host = await SignedHost.StartAsync();
        var path = "/protected/" + string.Join('/', Enumerable.Range(0, 6).Select(i => new string((char)('a' + i), 200)));
        Assert.True(host.Generator.TryGetSignedUrl(path, new SignedUrlOptions(), out _));

        var error = Assert.Throws<ArgumentException>(() => host.Generator.GetSignedUrl(path, new SignedUrlOptions { UserId = new string('u', 1000) }));
        Assert.Equal("options", error.ParamName);
        Assert.False(host.Generator.TryGetSignedUrl(path, new SignedUrlOptions { UserId = new string('u', 1000) }, out var url));
        Assert.Null(url);
    }

    [Fact]
    public async Task LifetimeOverTheCap_TimeSpanOverload_NamesLifetime()
    {
        await using var host = await SignedHost.StartAsync();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromDays(2)));
        Assert.Equal("lifetime", error.ParamName);
    }

    [Fact]
    public async Task LifetimeOverTheCap_OptionsOverload_NamesOptionsAndTheProperty()
    {
        await using var host = await SignedHost.StartAsync();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { Lifetime = TimeSpan.FromDays(2) }));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("SignedUrlOptions.Lifetime", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> UnservablePaths() =>
    [
        "/protected",
        "/protected/",
        "/elsewhere/a.txt",
        "/protectedness/a.txt",
        "/protected/a" + (char)0xD800 + ".txt", // a lone surrogate would be sent as U+FFFD: never the signed path
        "/protected/" + (char)0xDC00,
    ];

    [Theory]
    [MemberData(nameof(UnservablePaths), DisableDiscoveryEnumeration = true)]
    public async Task PathThatServingCouldNeverAnswer_ThrowsNamingPath(string path)
    {
        await using var host = await SignedHost.StartAsync();
        var error = Assert.Throws<ArgumentException>(() => host.Generator.GetSignedUrl(path));
        Assert.Equal("path", error.ParamName);
        Assert.False(host.Generator.TryGetSignedUrl(path, new SignedUrlOptions(), out _));
    }

    [Fact]
    public async Task TokenLongerThanTheBudget_IsRefusedBeforeAnyDecoding()
    {
        await using var host = await SignedHost.StartAsync(o => o.MaxUrlLength = 1024);
        host.WriteFile("a.txt", "hello");
        using var response = await host.Client.GetAsync("/protected/a.txt?token=" + new string('A', 1500));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
