using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SignedStaticFiles;
using SignedStaticFiles.ImageSharp.Diagnostics;
using SignedStaticFiles.ImageSharp.Engine;
using SignedStaticFiles.ImageSharp.Text;
using SignedStaticFiles.Variants;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the image engine of SignedStaticFiles.ImageSharp on a folder.</summary>
public static class ImageSharpSignedStaticFilesBuilderExtensions
{
    /// <summary>
    /// Gives the folder an image engine: watermarks (<see cref="SignedStaticFilesOptions.Watermark"/>, in every
    /// script), redaction (<see cref="SignedStaticFilesOptions.Redactions"/>, <see cref="SignedUrlOptions.Redaction"/>,
    /// <see cref="SignedUrlOptions.RedactionRegions"/>) and metadata stripping of JPEG, PNG and WebP images.
    /// Under <see cref="WatermarkMode.Always"/> the folder fails closed by content: only plain non-image files
    /// leave unstamped, every other file that is not a stampable image is refused (415). Calling it again for
    /// the same folder changes nothing. See docs/imaging.md.
    /// </summary>
    /// <param name="builder">The folder's builder, from <c>AddSignedStaticFiles</c>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static ISignedStaticFilesBuilder AddImageSharp(this ISignedStaticFilesBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton<IStampTextRenderer, SkiaStampTextRenderer>();
        services.TryAddSingleton<ImageSharpMetrics>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<IVariantEngine>(builder.Name, static (provider, key) =>
        {
            var name = (string)key!;
            return new ImageVariantEngine(
                name,
                provider.GetRequiredService<IOptionsMonitor<SignedStaticFilesOptions>>().Get(name).Watermark,
                provider.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory,
                provider.GetRequiredService<IStampTextRenderer>(),
                provider.GetRequiredService<ImageSharpMetrics>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILoggerFactory>());
        });
        if (!services.Any(d => d.ServiceType == typeof(VariantCacheRevocationListener) && Equals(d.ServiceKey, builder.Name)))
        {
            services.AddKeyedSingleton<VariantCacheRevocationListener>(builder.Name, (provider, key) => new VariantCacheRevocationListener(provider, (string)key!));
            services.AddSingleton<SignedStaticFiles.Revocation.IRevocationListener>(provider => provider.GetRequiredKeyedService<VariantCacheRevocationListener>(builder.Name));
        }

        return builder;
    }
}
