using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.ImageSharp.Engine;
using SignedStaticFiles.Tests.Infrastructure;
using SignedStaticFiles.Variants;

namespace SignedStaticFiles.ImageSharp.Tests.Infrastructure;

/// <summary>The suite's <see cref="SignedHost"/> with the image engine on the default folder (<c>AddImageSharp()</c>).</summary>
internal static class ImageHost
{
    public static Task<SignedHost> StartAsync(
        Action<SignedStaticFilesOptions>? configure = null,
        Action<WebApplicationBuilder>? builder = null,
        Action<WebApplication>? pipeline = null,
        string? contentRoot = null,
        bool engine = true) =>
        SignedHost.StartAsync(
            configure,
            b =>
            {
                // The test's own services first: AddImageSharp only adds what is missing.
                builder?.Invoke(b);
                if (engine)
                {
                    b.Services.AddSignedStaticFiles().AddImageSharp();
                }
            },
            pipeline,
            contentRoot);

    /// <summary>The default folder's engine.</summary>
    public static ImageVariantEngine Engine(this SignedHost host) =>
        (ImageVariantEngine)host.Services.GetRequiredKeyedService<IVariantEngine>(string.Empty);
}
