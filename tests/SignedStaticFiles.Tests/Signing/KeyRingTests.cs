using System.Buffers.Text;
using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Signing;

/// <summary>T11 (docs/security-model.md): links live and die with the DataProtection key ring, as persisted on disk.</summary>
public sealed class KeyRingTests
{
    private static Guid KeyIdOf(string url)
    {
        // DataProtection's payload: 4-byte magic header, then the 16-byte id of the key that protected it.
        var bytes = Base64Url.DecodeFromChars(url.AsSpan(url.IndexOf("token=", StringComparison.Ordinal) + 6));
        return new Guid(bytes.AsSpan(4, 16));
    }

    /// <summary>
    /// A change to the key ring (new key, revocation) reaches the running app when DataProtection's
    /// background refresh completes: well under the 5 s allowed here (docs/farms.md states the delay).
    /// </summary>
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    [Fact]
    public async Task KeyRotation_KeepsLiveLinksValid()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "a");
        var before = host.Generator.GetSignedUrl("/protected/a.txt");

        var keys = host.Services.GetRequiredService<IKeyManager>();
        var newKey = keys.CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        // DataProtection refreshes its key ring in the background after a change: wait for the new default key.
        string after = null!;
        Assert.True(await EventuallyAsync(() =>
        {
            after = host.Generator.GetSignedUrl("/protected/a.txt");
            return Task.FromResult(KeyIdOf(after) == newKey.KeyId);
        }));
        Assert.NotEqual(KeyIdOf(before), KeyIdOf(after));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(before)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(after)).StatusCode);
    }

    [Fact]
    public async Task KeyRevocation_KillsTheLinksOfThatKey()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);

        host.Services.GetRequiredService<IKeyManager>().RevokeKey(KeyIdOf(url), "leaked");

        Assert.True(await EventuallyAsync(async () => (await host.Client.GetAsync(url)).StatusCode != HttpStatusCode.OK));
        var response = await host.Client.GetAsync(url);
        await Middleware.TokenValidationTests.AssertProblemAsync(response, HttpStatusCode.Forbidden, "Invalid link");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/a.txt"))).StatusCode);
    }

    [Fact]
    public async Task RevokeAllKeys_KillsEveryLink()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "a");
        var urls = Enumerable.Range(0, 3).Select(_ => host.Generator.GetSignedUrl("/protected/a.txt")).ToList();

        host.Services.GetRequiredService<IKeyManager>().RevokeAllKeys(DateTimeOffset.UtcNow.AddSeconds(1), "incident");

        Assert.True(await EventuallyAsync(async () => (await host.Client.GetAsync(urls[0])).StatusCode != HttpStatusCode.OK));
        foreach (var url in urls)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.GetAsync(url)).StatusCode);
        }
    }

    [Fact]
    public async Task Restart_WithThePersistedKeyRing_KeepsLinks()
    {
        var contentRoot = SignedHost.NewContentRoot();
        try
        {
            string url;
            await using (var first = await SignedHost.StartAsync(contentRoot: contentRoot))
            {
                first.WriteFile("a.txt", "a");
                url = first.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromHours(1));
            }

            Assert.NotEmpty(Directory.GetFiles(Path.Combine(contentRoot, "keys"), "key-*.xml"));
            await using var second = await SignedHost.StartAsync(contentRoot: contentRoot);
            var response = await second.Client.GetAsync(url);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("a", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    [Fact]
    public async Task AnotherKeyRing_RefusesTheLinks()
    {
        await using var first = await SignedHost.StartAsync();
        await using var second = await SignedHost.StartAsync();
        first.WriteFile("a.txt", "a");
        second.WriteFile("a.txt", "a");

        var response = await second.Client.GetAsync(first.Generator.GetSignedUrl("/protected/a.txt"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
