using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Signing;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Links;

/// <summary>
/// <see cref="SignedStaticFilesOptions.LinkReuseWindow"/>: a page re-rendered inside the window gets the very same
/// URL (so the browser's copy serves it), never a link living longer than asked plus the window or the folder's
/// cap, never a reused single-use link, never a revoked one.
/// </summary>
public sealed class LinkReuseWindowTests
{
    private static Task<SignedHost> StartAsync(TimeSpan window, TimeSpan? maxLifetime = null) =>
        SignedHost.StartAsync(o =>
        {
            o.LinkReuseWindow = window;
            o.CacheControl = "private, max-age=300";
            if (maxLifetime is { } max)
            {
                o.MaxLifetime = max;
                o.DefaultLifetime = max < o.DefaultLifetime ? max : o.DefaultLifetime;
            }
        });

    [Fact]
    public async Task SameRequestInsideTheWindow_ReturnsTheSameUrl_AfterTheWindowANewOne()
    {
        await using var host = await StartAsync(TimeSpan.FromMinutes(1));
        var first = host.Generator.GetSignedUrl("/protected/a.jpg", new SignedUrlOptions { UserId = "alice", Lifetime = TimeSpan.FromMinutes(5) });

        host.Time.Advance(TimeSpan.FromSeconds(59));
        var again = host.Generator.GetSignedUrl("/protected/a.jpg", new SignedUrlOptions { UserId = "alice", Lifetime = TimeSpan.FromMinutes(5) });
        host.Time.Advance(TimeSpan.FromSeconds(2));
        var later = host.Generator.GetSignedUrl("/protected/a.jpg", new SignedUrlOptions { UserId = "alice", Lifetime = TimeSpan.FromMinutes(5) });

        Assert.Equal(first, again);
        Assert.NotEqual(first, later);
    }

    public static TheoryData<SignedUrlOptions> OtherRequests() =>
    [
        new SignedUrlOptions { UserId = "bob", Lifetime = TimeSpan.FromMinutes(5) },
        new SignedUrlOptions { Lifetime = TimeSpan.FromMinutes(5) },
        new SignedUrlOptions { UserId = "alice", Lifetime = TimeSpan.FromMinutes(6) },
        new SignedUrlOptions { UserId = "alice", Lifetime = TimeSpan.FromMinutes(5), DownloadFileName = "a.jpg" },
    ];

    [Theory]
    [MemberData(nameof(OtherRequests))]
    public async Task AnyOtherUserOrOption_GetsItsOwnUrl(SignedUrlOptions other)
    {
        await using var host = await StartAsync(TimeSpan.FromMinutes(1));
        var first = host.Generator.GetSignedUrl("/protected/a.jpg", new SignedUrlOptions { UserId = "alice", Lifetime = TimeSpan.FromMinutes(5) });
        Assert.NotEqual(first, host.Generator.GetSignedUrl("/protected/a.jpg", other));
    }

    [Fact]
    public async Task SingleUseLinks_AreNeverReused()
    {
        await using var host = await StartAsync(TimeSpan.FromMinutes(1));
        var options = new SignedUrlOptions { SingleUse = true };
        Assert.NotEqual(host.Generator.GetSignedUrl("/protected/a.jpg", options), host.Generator.GetSignedUrl("/protected/a.jpg", options));
    }

    [Fact]
    public async Task ReusedLink_LivesAtLeastTheLifetimeAsked_AndAtMostLifetimePlusWindow()
    {
        await using var host = await StartAsync(TimeSpan.FromMinutes(1));
        var protector = host.Services.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0].Protector;
        var minted = host.Time.GetUtcNow();
        var url = host.Generator.GetSignedUrl("/protected/a.jpg", TimeSpan.FromMinutes(2));
        host.Time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(url, host.Generator.GetSignedUrl("/protected/a.jpg", TimeSpan.FromMinutes(2)));

        var link = protector.Unprotect(url.AsSpan(url.IndexOf("token=", StringComparison.Ordinal) + 6))!;
        Assert.Equal(minted + TimeSpan.FromMinutes(3), link.Expires);
        Assert.True(link.Expires - host.Time.GetUtcNow() >= TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task NearTheFoldersCap_TheLinkIsCappedAndReusedOnlyWhileItStillLivesTheLifetimeAsked()
    {
        await using var host = await StartAsync(TimeSpan.FromMinutes(2), maxLifetime: TimeSpan.FromMinutes(5));
        var protector = host.Services.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0].Protector;
        var minted = host.Time.GetUtcNow();
        var url = host.Generator.GetSignedUrl("/protected/a.jpg", TimeSpan.FromMinutes(4));
        var link = protector.Unprotect(url.AsSpan(url.IndexOf("token=", StringComparison.Ordinal) + 6))!;
        Assert.Equal(minted + TimeSpan.FromMinutes(5), link.Expires);

        host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(url, host.Generator.GetSignedUrl("/protected/a.jpg", TimeSpan.FromMinutes(4)));
        host.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.NotEqual(url, host.Generator.GetSignedUrl("/protected/a.jpg", TimeSpan.FromMinutes(4)));
    }

    [Fact]
    public async Task WindowOff_EveryMintIsANewLink()
    {
        await using var host = await StartAsync(TimeSpan.Zero);
        Assert.NotEqual(host.Generator.GetSignedUrl("/protected/a.jpg"), host.Generator.GetSignedUrl("/protected/a.jpg"));
    }

    [Fact]
    public async Task Clear_ForgetsEveryLink()
    {
        await using var host = await StartAsync(TimeSpan.FromMinutes(1));
        var first = host.Generator.GetSignedUrl("/protected/a.jpg");
        host.Services.GetRequiredService<LinkReuseMemory>().Clear();
        Assert.NotEqual(first, host.Generator.GetSignedUrl("/protected/a.jpg"));
    }

    [Fact]
    public async Task LinkRememberedAfterARevocationClearedTheMemory_IsNeverHandedOutAgain()
    {
        // The race: a mint remembers its link just after a revocation emptied the memory.
        await using var host = await StartAsync(TimeSpan.FromMinutes(1));
        var protector = host.Services.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0].Protector;
        var url = host.Generator.GetSignedUrl("/protected/a.jpg", TimeSpan.FromMinutes(5));
        var link = protector.Unprotect(url.AsSpan(url.IndexOf("token=", StringComparison.Ordinal) + 6))!;
        await host.Services.GetRequiredService<ISignedUrlRevoker>().RevokeLinkAsync(link.LinkId);
        host.Services.GetRequiredService<LinkReuseMemory>().Remember(
            new LinkReuseMemory.Key(string.Empty, "/protected/a.jpg", null, null, null, null, null, TimeSpan.FromMinutes(5)), url, link);

        Assert.NotEqual(url, host.Generator.GetSignedUrl("/protected/a.jpg", TimeSpan.FromMinutes(5)));
    }
}
