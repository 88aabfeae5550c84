using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Signing;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Middleware;

/// <summary>
/// A link fetched again is answered from the cache of validated tokens: every per-request rule must
/// still hold on the second, third… request (expiry to the second, path, user binding, key revocation).
/// </summary>
public sealed class RepeatedLinkTests
{
    [Fact]
    public async Task RepeatedLink_StillExpiresToTheSecond()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        host.Time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        Assert.True(TimeSpan.FromSeconds(5) < SignedLinkCache.EntryLifetime, "the second request must be a cache hit");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);

        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.Gone, (await host.Client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task RepeatedLink_ForAnotherFile_IsStillRefused()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "a");
        host.WriteFile("b.txt", "b");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");
        var token = url[url.IndexOf('?', StringComparison.Ordinal)..];

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.GetAsync("/protected/b.txt" + token)).StatusCode);
    }

    [Fact]
    public async Task RepeatedSingleUseLink_IsStillRefusedOnceUsed()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { SingleUse = true });

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await host.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await host.Client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task RepeatedUserBoundLink_IsStillRefusedToAnotherUserAndToAnonymous()
    {
        await using var host = await SignedHost.StartAsync(pipeline: app =>
        {
            // The test's sign-in: the user named by a header.
            app.Use((context, next) =>
            {
                if (context.Request.Headers["X-Test-User"] is [{ } user])
                {
                    context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], "Test"));
                }

                return next(context);
            });
            app.UseSignedStaticFiles();
        });
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { UserId = "alice" });

        Assert.Equal(HttpStatusCode.OK, await GetAs(host, url, "alice"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAs(host, url, "bob"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAs(host, url, null));
        Assert.Equal(HttpStatusCode.OK, await GetAs(host, url, "alice"));
    }

    [Fact]
    public async Task RepeatedLink_KeyRevokedInThisProcess_IsRefusedAsSoonAsDataProtectionRefusesIt()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);

        var latest = new[] { DateTimeOffset.UtcNow, host.Time.GetUtcNow() }.Max().AddMinutes(1);
        host.Services.GetRequiredService<IKeyManager>().RevokeAllKeys(latest, "test: key compromised");

        // DataProtection itself swaps in the new key ring in the background, within milliseconds: from
        // then on the repeated link must be refused, although the cache's own lifetime has not elapsed.
        var protector = host.Services.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0].Protector;
        var token = url[(url.IndexOf('=', StringComparison.Ordinal) + 1)..];
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (protector.Unprotect(token) is not null)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "DataProtection never refused the revoked key.");
            await Task.Delay(5);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.GetAsync(url)).StatusCode);
    }

    private static async Task<HttpStatusCode> GetAs(SignedHost host, string url, string? user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (user is not null)
        {
            request.Headers.Add("X-Test-User", user);
        }

        using var response = await host.Client.SendAsync(request);
        return response.StatusCode;
    }
}
