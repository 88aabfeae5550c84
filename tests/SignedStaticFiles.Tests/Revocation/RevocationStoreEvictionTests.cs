using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using SignedStaticFiles.Stores;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Revocation;

/// <summary>
/// A path revocation also drops what the folder's store cache holds about that path (an applicant's documents are
/// erased: nothing of them stays cached), and "revoke all" drops everything; link or user revocations leave it.
/// </summary>
public sealed class RevocationStoreEvictionTests
{
    private static async Task<(SignedHost Host, StoreMetadataCache Cache)> StartAsync()
    {
        var contentRoot = SignedHost.NewContentRoot();
        var root = Path.Combine(contentRoot, "App_Data", "protected");
        var host = await SignedHost.StartAsync(
            builder: b => b.Services.AddSignedStaticFiles().ServeFromStore(_ => new PhysicalFolderStore(new PhysicalFileProvider(root), "test-store")),
            contentRoot: contentRoot);
        foreach (var file in new[] { "kyc/42/front.txt", "kyc/42/back.txt", "kyc/420/front.txt" })
        {
            host.WriteFile(file, file);
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/" + file))).StatusCode);
        }

        var store = (CachedFileStore)host.Services.GetRequiredService<global::SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0].Store;
        Assert.Equal(3, store.Cache.Count);
        return (host, store.Cache);
    }

    [Fact]
    public async Task RevokePath_EvictsThatFolderFromTheStoreCache_NotItsSiblings()
    {
        var (host, cache) = await StartAsync();
        await using var _ = host;

        await host.Services.GetRequiredService<ISignedUrlRevoker>().RevokePathAsync("/protected/kyc/42");

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("/kyc/420/front.txt", out var sibling) && sibling is not null);
    }

    [Fact]
    public async Task RevokeAll_EvictsEverything_UserAndLinkRevocationsNothing()
    {
        var (host, cache) = await StartAsync();
        await using var _ = host;
        var revoker = host.Services.GetRequiredService<ISignedUrlRevoker>();

        await revoker.RevokeUserAsync("alice");
        await revoker.RevokeLinkAsync("AAAAAAAAAAAAAAAA");
        Assert.Equal(3, cache.Count);

        await revoker.RevokeAllAsync();
        Assert.Equal(0, cache.Count);
    }
}
