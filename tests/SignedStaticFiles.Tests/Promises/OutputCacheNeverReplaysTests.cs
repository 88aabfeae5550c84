using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Promises;

/// <summary>
/// A server-side cache never replays a decision of a protected path, whatever the middleware order: the
/// framework's output cache ignores <c>Cache-Control</c> by design, so the package itself switches storage off
/// (docs/security-model.md: leakage through caches).
/// </summary>
public sealed class OutputCacheNeverReplaysTests
{
    private static Task<SignedHost> StartAsync(Action<SignedStaticFilesOptions>? configure = null) =>
        SignedHost.StartAsync(
            configure,
            builder => builder.Services.AddOutputCache(o => o.AddBasePolicy(b => b.Cache().Expire(TimeSpan.FromMinutes(10)))),
            app =>
            {
                app.UseOutputCache();
                app.UseSignedStaticFiles();
            });

    [Fact]
    public async Task SingleUseLink_OutputCacheBefore_SecondRequestIs410()
    {
        await using var host = await StartAsync();
        host.WriteFile("a.txt", "hello");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { SingleUse = true });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await host.Client.GetAsync(url);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Gone, HttpStatusCode.Gone, HttpStatusCode.Gone], statuses);
    }

    [Fact]
    public async Task ExpiredLink_OutputCacheBefore_Is410AfterExpiry()
    {
        await using var host = await StartAsync();
        host.WriteFile("a.txt", "hello");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromMinutes(1));

        using (var first = await host.Client.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        host.Time.Advance(TimeSpan.FromMinutes(2));
        using var second = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Gone, second.StatusCode);
    }

    [Fact]
    public async Task ChangedFile_OutputCacheBefore_ServesTheNewBytes()
    {
        await using var host = await StartAsync();
        host.WriteFile("a.txt", "version one");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");
        Assert.Equal("version one", await host.Client.GetStringAsync(url));

        var path = host.WriteFile("a.txt", "version two!");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.Equal("version two!", await host.Client.GetStringAsync(url));
    }

    [Theory]
    [InlineData("public, max-age=60")]
    [InlineData("private, s-maxage=60")]
    [InlineData("PUBLIC")]
    public async Task CacheControlLettingSharedCachesStore_StopsTheAppAtStartup(string cacheControl)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => SignedHost.StartAsync(o => o.CacheControl = cacheControl));
        Assert.Contains("SignedStaticFilesOptions.CacheControl", error.Message, StringComparison.Ordinal);
    }
}
