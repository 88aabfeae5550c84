using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.ImageSharp.Tests.Watermarking;

namespace SignedStaticFiles.ImageSharp.Tests.Revocation;

/// <summary>
/// A path or "all" revocation (documents withdrawn, an incident) also drops the folder's rendered variants, so
/// withdrawn documents do not linger in memory as stamped copies; link and user revocations leave them.
/// </summary>
public sealed class VariantCacheRevocationTests
{
    [Theory]
    [InlineData("path", 0)]
    [InlineData("all", 0)]
    [InlineData("user", 1)]
    [InlineData("link", 1)]
    public async Task Revocation_DropsRenderedVariantsOnlyForPathAndAll(string kind, long expectedCached)
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        host.WriteFile("kyc/42/front.jpg", TestImages.Jpeg(300, 200));
        var url = host.Generator.GetSignedUrl("/protected/kyc/42/front.jpg", new SignedUrlOptions { UserId = null });
        using (var response = await host.Client.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, host.Engine().CachedVariants);
        var revoker = host.Services.GetRequiredService<ISignedUrlRevoker>();
        await (kind switch
        {
            "path" => revoker.RevokePathAsync("/protected/kyc/42"),
            "all" => revoker.RevokeAllAsync(),
            "user" => revoker.RevokeUserAsync("someone-else"),
            _ => revoker.RevokeLinkAsync("AAAAAAAAAAAAAAAA"),
        });

        Assert.Equal(expectedCached, host.Engine().CachedVariants);
    }
}
