using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests;

/// <summary>Startup validation (T7 in docs/security-model.md, and docs/options.md): a bad option stops the app and names itself.</summary>
public sealed class SignedStaticFilesOptionsValidatorTests
{
    private static async Task<string> StartupErrorAsync(Action<SignedStaticFilesOptions> configure, Action<string>? arrange = null)
    {
        var contentRoot = SignedHost.NewContentRoot();
        try
        {
            arrange?.Invoke(contentRoot);
            var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            {
                await using var host = await SignedHost.StartAsync(configure, contentRoot: contentRoot);
            });
            return error.Message;
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    [Theory]
    [InlineData("wwwroot")]
    [InlineData("wwwroot/protected")]
    [InlineData("wwwroot/a/b")]
    [InlineData(".")]
    public async Task RootInsideOrAroundTheWebRoot_StopsTheApp(string rootPath)
    {
        var message = await StartupErrorAsync(
            o => o.RootPath = rootPath,
            root => Directory.CreateDirectory(Path.Combine(root, rootPath)));

        Assert.Contains("SignedStaticFilesOptions.RootPath", message, StringComparison.Ordinal);
        Assert.Contains("web root", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RootReachingTheWebRootThroughASymlink_StopsTheApp()
    {
        var message = await StartupErrorAsync(
            o => o.RootPath = "App_Data/alias",
            root => Directory.CreateSymbolicLink(Path.Combine(root, "App_Data", "alias"), Path.Combine(root, "wwwroot")));

        Assert.Contains("web root", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhysicalFileProviderOverTheWebRoot_StopsTheApp()
    {
        var message = await StartupErrorAsync(o => o.FileProvider = new PhysicalFileProvider(Path.GetTempPath()), root =>
        {
            // The provider's root is the temp folder, which holds the content root and so the web root.
        });

        Assert.Contains("SignedStaticFilesOptions.FileProvider", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingRoot_StopsTheApp_NamingTheOptionAndTheFullPath()
    {
        var message = await StartupErrorAsync(o => o.RootPath = "App_Data/nope");

        Assert.Contains("SignedStaticFilesOptions.RootPath 'App_Data/nope'", message, StringComparison.Ordinal);
        Assert.Contains("does not exist", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "SignedStaticFilesOptions.RequestPath")]
    [InlineData("/", "SignedStaticFilesOptions.RequestPath")]
    [InlineData("/files/", "SignedStaticFilesOptions.RequestPath")]
    public async Task BadRequestPath_StopsTheApp(string requestPath, string option)
    {
        var message = await StartupErrorAsync(o => o.RequestPath = requestPath);
        Assert.Contains(option, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 60, "SignedStaticFilesOptions.DefaultLifetime")]
    [InlineData(-5, 60, "SignedStaticFilesOptions.DefaultLifetime")]
    [InlineData(120, 60, "SignedStaticFilesOptions.DefaultLifetime")]
    [InlineData(30, 0, "SignedStaticFilesOptions.MaxLifetime")]
    public async Task BadLifetimes_StopTheApp(int defaultSeconds, int maxSeconds, string option)
    {
        var message = await StartupErrorAsync(o =>
        {
            o.DefaultLifetime = TimeSpan.FromSeconds(defaultSeconds);
            o.MaxLifetime = TimeSpan.FromSeconds(maxSeconds);
        });
        Assert.Contains(option, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyTokenParameterName_StopsTheApp()
    {
        var message = await StartupErrorAsync(o => o.TokenParameterName = " ");
        Assert.Contains("SignedStaticFilesOptions.TokenParameterName", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AbsoluteRootOutsideTheContentRoot_IsAccepted()
    {
        var outside = Path.Combine(Path.GetTempPath(), "ssf-tests", "abs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        try
        {
            File.WriteAllText(Path.Combine(outside, "a.txt"), "absolute");
            await using var host = await SignedHost.StartAsync(o => o.RootPath = outside);
            var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/a.txt"));
            Assert.Equal("absolute", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task ConfigurationSection_IsBound_AndTheCodeDelegateWins()
    {
        await using var host = await SignedHost.StartAsync(
            o => o.DefaultLifetime = TimeSpan.FromMinutes(2),
            builder: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SignedStaticFiles:RequestPath"] = "/files",
                ["SignedStaticFiles:DefaultLifetime"] = "00:00:30",
                ["SignedStaticFiles:MaxLifetime"] = "01:00:00",
                ["SignedStaticFiles:TokenParameterName"] = "sig",
            }));
        host.WriteFile("a.txt", "a");

        var options = host.Services.GetRequiredService<IOptions<SignedStaticFilesOptions>>().Value;
        Assert.Equal("/files", options.RequestPath.Value);
        Assert.Equal(TimeSpan.FromHours(1), options.MaxLifetime);
        Assert.Equal(TimeSpan.FromMinutes(2), options.DefaultLifetime);

        var url = host.Generator.GetSignedUrl("/files/a.txt");
        Assert.Contains("?sig=", url, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public void UseSignedStaticFiles_WithoutAddSignedStaticFiles_ThrowsAClearError()
    {
        var builder = WebApplication.CreateBuilder();
        var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.UseSignedStaticFiles());

        Assert.Contains("AddSignedStaticFiles", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSignedStaticFiles_Twice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddSignedStaticFiles();
        var count = services.Count;

        var builder = services.AddSignedStaticFiles(o => o.RequestPath = "/x");

        Assert.Same(services, builder.Services);
        Assert.Equal(count + 1, services.Count);
        Assert.Single(services, d => d.ServiceType == typeof(ISignedUrlGenerator));
    }
}
