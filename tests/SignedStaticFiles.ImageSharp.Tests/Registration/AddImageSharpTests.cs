using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.ImageSharp.Tests.Watermarking;
using SignedStaticFiles.Tests.Infrastructure;
using SignedStaticFiles.Variants;

namespace SignedStaticFiles.ImageSharp.Tests.Registration;

/// <summary><c>AddImageSharp()</c> gives one folder its engine; a folder that needs one and has none stops the app.</summary>
public sealed class AddImageSharpTests
{
    [Theory]
    [InlineData(WatermarkMode.Always)]
    [InlineData(WatermarkMode.OnRequest)]
    public async Task WatermarkFolderWithoutTheEngine_FailsAtStartup_NamingTheCall(WatermarkMode mode)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ImageHost.StartAsync(o => o.Watermark.Mode = mode, engine: false));
        Assert.Contains("AddImageSharp()", error.Message, StringComparison.Ordinal);
        Assert.Contains("SignedStaticFiles.ImageSharp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedactionProfilesWithoutTheEngine_FailAtStartup()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ImageHost.StartAsync(o => o.Redactions["support"] = [new RedactionRegion(0, 0, 0.5, 0.5)], engine: false));
        Assert.Contains("AddImageSharp()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEngineBelongsToItsFolder_AnotherFolderStillNeedsItsOwn()
    {
        var contentRoot = SignedHost.NewContentRoot();
        Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "contracts"));
        await using var host = await SignedHost.StartAsync(
            o => o.Watermark.Mode = WatermarkMode.None,
            builder: b => b.Services.AddSignedStaticFiles("contracts", o =>
            {
                o.RequestPath = "/contracts";
                o.RootPath = Path.Combine(contentRoot, "App_Data", "contracts");
                o.Watermark.Mode = WatermarkMode.Always;
            }).AddImageSharp(),
            contentRoot: contentRoot);

        Assert.NotNull(host.Services.GetKeyedService<IVariantEngine>("contracts"));
        Assert.Null(host.Services.GetKeyedService<IVariantEngine>(string.Empty));
        Assert.Null(host.Services.GetService<IVariantEngine>());

        var original = TestImages.Jpeg(300, 200);
        await File.WriteAllBytesAsync(Path.Combine(contentRoot, "App_Data", "contracts", "a.jpg"), original);
        host.WriteFile("a.jpg", original);
        var stamped = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/contracts/a.jpg"));
        Assert.Equal(HttpStatusCode.OK, stamped.StatusCode);
        Assert.NotEqual(original, await stamped.Content.ReadAsByteArrayAsync());

        // The default folder has no engine: a stamp cannot be minted there.
        Assert.False(host.Generator.TryGetSignedUrl("~/protected/a.jpg", new SignedUrlOptions { WatermarkText = "x" }, out _));
        Assert.Equal(original, await host.Client.GetByteArrayAsync(host.Generator.GetSignedUrl("~/protected/a.jpg")));
    }

    [Fact]
    public void AddImageSharp_Twice_RegistersOneEngine()
    {
        var services = new ServiceCollection();
        services.AddSignedStaticFiles().AddImageSharp().AddImageSharp();
        Assert.Single(services, d => d.ServiceType == typeof(IVariantEngine));
        Assert.Throws<ArgumentNullException>(() => ImageSharpSignedStaticFilesBuilderExtensions.AddImageSharp(null!));
        _ = typeof(WebApplication);
    }
}
