using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Promises;

/// <summary>
/// A link of one app or folder never opens another, even when both share a key ring and an application name
/// (the documented way to share sign-in cookies); nodes of one folder (a farm) do share links
/// (docs/security-model.md: cross-app and cross-folder reuse).
/// </summary>
public sealed class LinkScopeTests
{
    private static Task<SignedHost> StartAsync(string keys, Action<SignedStaticFilesOptions>? configure = null) =>
        SignedHost.StartAsync(configure, builder => builder.Services.AddDataProtection()
            .SetApplicationName("shared-app")
            .PersistKeysToFileSystem(new DirectoryInfo(keys)));

    [Fact]
    public async Task TwoAppsSharingKeyRingAndName_DifferentRoots_RefuseEachOthersLinks()
    {
        var keys = Directory.CreateTempSubdirectory("shared-keys-").FullName;
        await using var a = await StartAsync(keys, o => o.RootPath = "App_Data/protected");
        await using var b = await StartAsync(keys, o => o.RootPath = Path.Combine(SignedHost.NewContentRoot(), "App_Data", "protected"));
        a.WriteFile("id.txt", "a's file");
        File.WriteAllText(Path.Combine(b.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<SignedStaticFilesOptions>>().Get("").RootPath, "id.txt"), "b's file");

        var linkOfA = a.Generator.GetSignedUrl("/protected/id.txt");
        using var onA = await a.Client.GetAsync(linkOfA);
        using var onB = await b.Client.GetAsync(linkOfA);

        Assert.Equal(HttpStatusCode.OK, onA.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, onB.StatusCode);
    }

    [Fact]
    public async Task TwoAppsSharingKeyRingAndName_SameFolderAtDifferentRequestPaths_RefuseEachOthersLinks()
    {
        var keys = Directory.CreateTempSubdirectory("shared-keys-").FullName;
        var contentRoot = SignedHost.NewContentRoot();
        await using var a = await StartAsync(keys, o => o.RequestPath = "/protected");
        await using var b = await SignedHost.StartAsync(
            o => { o.RequestPath = "/protected"; o.LinkScope = "tenant-b"; },
            builder => builder.Services.AddDataProtection().SetApplicationName("shared-app").PersistKeysToFileSystem(new DirectoryInfo(keys)),
            contentRoot: contentRoot);
        a.WriteFile("id.txt", "a");
        b.WriteFile("id.txt", "b");

        using var response = await b.Client.GetAsync(a.Generator.GetSignedUrl("/protected/id.txt"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task FarmNodesAtDifferentAbsolutePaths_WithOneLinkScope_ShareLinks()
    {
        var keys = Directory.CreateTempSubdirectory("shared-keys-").FullName;
        await using var a = await StartAsync(keys, o => { o.RootPath = Path.Combine(SignedHost.NewContentRoot(), "App_Data", "protected"); o.LinkScope = "kyc-farm"; });
        await using var b = await StartAsync(keys, o => { o.RootPath = Path.Combine(SignedHost.NewContentRoot(), "App_Data", "protected"); o.LinkScope = "kyc-farm"; });
        foreach (var node in new[] { a, b })
        {
            var root = node.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<SignedStaticFilesOptions>>().Get("").RootPath;
            File.WriteAllText(Path.Combine(root, "id.txt"), "same file on every node");
        }

        using var response = await b.Client.GetAsync(a.Generator.GetSignedUrl("/protected/id.txt"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TwoFoldersOfOneApp_SameFileName_LinkOfOneIsRefusedByTheOther()
    {
        var contentRoot = SignedHost.NewContentRoot();
        Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "contracts"));
        File.WriteAllText(Path.Combine(contentRoot, "App_Data", "protected", "x.txt"), "id");
        File.WriteAllText(Path.Combine(contentRoot, "App_Data", "contracts", "x.txt"), "contract");
        await using var host = await SignedHost.StartAsync(
            builder: b => b.Services.AddSignedStaticFiles("contracts", o => { o.RequestPath = "/contracts"; o.RootPath = "App_Data/contracts"; }),
            contentRoot: contentRoot);
        var idLink = host.Generator.GetSignedUrl("/protected/x.txt");
        var token = idLink[(idLink.IndexOf('?', StringComparison.Ordinal))..];

        Assert.Equal("id", await host.Client.GetStringAsync(idLink));
        Assert.Equal("contract", await host.Client.GetStringAsync(host.Generator.GetSignedUrl("/contracts/x.txt")));
        using var crossed = await host.Client.GetAsync("/contracts/x.txt" + token);
        Assert.Equal(HttpStatusCode.Forbidden, crossed.StatusCode);
    }
}
