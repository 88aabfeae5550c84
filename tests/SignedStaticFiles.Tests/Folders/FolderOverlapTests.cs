using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Folders;

/// <summary>
/// Two folders whose request paths overlap (judged as the framework matches paths: by segment, case-insensitively)
/// or whose roots overlap stop the app at startup, and the message names both folders.
/// </summary>
public sealed class FolderOverlapTests
{
    [Theory]
    [InlineData("/protected", "/protected")]
    [InlineData("/protected", "/PROTECTED")]
    [InlineData("/docs", "/docs/private")]
    [InlineData("/docs/private", "/docs")]
    [InlineData("/docs", "/Docs/private")]
    [InlineData("/a/b", "/A/B/c/d")]
    public async Task OverlappingRequestPaths_StopTheApp_NamingBoth(string first, string second)
    {
        var contentRoot = SignedHost.NewContentRoot();
        Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "other"));

        var e = Failures(await Assert.ThrowsAnyAsync<Exception>(() => SignedHost.StartAsync(
            o => o.RequestPath = first,
            builder: b => b.Services.AddSignedStaticFiles("other", o =>
            {
                o.RequestPath = second;
                o.RootPath = "App_Data/other";
            }),
            contentRoot: contentRoot)));

        // Each of the two folders reports the overlap, and each report names both.
        var failures = e.Where(f => f.Contains("overlaps the RequestPath", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, failure =>
        {
            Assert.Contains("'" + first + "'", failure, StringComparison.Ordinal);
            Assert.Contains("'" + second + "'", failure, StringComparison.Ordinal);
            Assert.Contains("folder 'other'", failure, StringComparison.Ordinal);
            Assert.Contains("default", failure, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Theory]
    [InlineData("/docs", "/docsarchive")]
    [InlineData("/docs", "/doc")]
    [InlineData("/a/b", "/a/bc")]
    [InlineData("/a/b", "/a/c")]
    public async Task PathsSharingOnlyAPrefixOfCharacters_AreAllowed(string first, string second)
    {
        var contentRoot = SignedHost.NewContentRoot();
        Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "other"));
        await using var host = await SignedHost.StartAsync(
            o => o.RequestPath = first,
            builder: b => b.Services.AddSignedStaticFiles("other", o =>
            {
                o.RequestPath = second;
                o.RootPath = "App_Data/other";
            }),
            contentRoot: contentRoot);
        host.WriteFile("a.txt", "first");
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "App_Data", "other", "a.txt"), "second");

        Assert.Equal("first", await host.Client.GetStringAsync(host.Generator.GetSignedUrl(first + "/a.txt")));
        Assert.Equal("second", await host.Client.GetStringAsync(host.Generator.GetSignedUrl(second + "/a.txt")));
    }

    [Theory]
    [InlineData("App_Data/protected")]
    [InlineData("App_Data/protected/contracts")]
    [InlineData("App_Data")]
    [InlineData("App_Data/./protected/../protected")]
    public async Task OverlappingRoots_StopTheApp_NamingBoth(string otherRoot)
    {
        var contentRoot = SignedHost.NewContentRoot();
        Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "protected", "contracts"));

        var e = Failures(await Assert.ThrowsAnyAsync<Exception>(() => SignedHost.StartAsync(
            builder: b => b.Services.AddSignedStaticFiles("contracts", o =>
            {
                o.RequestPath = "/contracts";
                o.RootPath = otherRoot;
            }),
            contentRoot: contentRoot)));

        var failures = e.Where(f => f.Contains("overlaps the root", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, failure =>
        {
            Assert.Contains("'contracts'", failure, StringComparison.Ordinal);
            Assert.Contains("default", failure, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task OverlappingRoots_ThroughASymlink_StopTheApp()
    {
        var contentRoot = SignedHost.NewContentRoot();
        Directory.CreateSymbolicLink(Path.Combine(contentRoot, "alias"), Path.Combine(contentRoot, "App_Data", "protected"));

        var e = Failures(await Assert.ThrowsAnyAsync<Exception>(() => SignedHost.StartAsync(
            builder: b => b.Services.AddSignedStaticFiles("alias", o =>
            {
                o.RequestPath = "/alias";
                o.RootPath = "alias";
            }),
            contentRoot: contentRoot)));

        Assert.Contains(e, f => f.Contains("overlaps the root", StringComparison.Ordinal));
    }

    /// <summary>Every folder's failures: one folder fails with an <see cref="OptionsValidationException"/>, several with an <see cref="AggregateException"/> of them.</summary>
    private static List<string> Failures(Exception e) => e switch
    {
        OptionsValidationException validation => [.. validation.Failures],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(Failures)],
        _ => throw new Xunit.Sdk.XunitException("Not a validation failure: " + e),
    };

    [Fact]
    public async Task SiblingRoots_AreAllowed()
    {
        var contentRoot = SignedHost.NewContentRoot();
        Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "protected-archive"));

        await using var host = await SignedHost.StartAsync(
            builder: b => b.Services.AddSignedStaticFiles("archive", o =>
            {
                o.RequestPath = "/archive";
                o.RootPath = "App_Data/protected-archive";
            }),
            contentRoot: contentRoot);

        Assert.StartsWith("/archive/", host.Generator.GetSignedUrl("/archive/a.txt"), StringComparison.Ordinal);
    }
}
