using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SignedStaticFiles.Watermarking;

/// <summary>The watermark services, registered by <c>AddSignedStaticFiles</c>.</summary>
internal static class WatermarkServiceCollectionExtensions
{
    public static IServiceCollection AddSignedStaticFilesWatermarking(this IServiceCollection services)
    {
        // TryAdd: an application's own renderer, registered before or after, wins over the default.
        services.TryAddSingleton<IWatermarkTextRenderer, GlyphAtlasTextRenderer>();
        services.TryAddSingleton<WatermarkService>();
        services.TryAddSingleton<Variants.IVariantEngine, LegacyWatermarkEngine>();
        return services;
    }
}
