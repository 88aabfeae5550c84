using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Watermarking;

namespace SignedStaticFiles.Tests.Watermarking;

internal static class WatermarkTestExtensions
{
    public static WatermarkService GetWatermarkService(this IServiceProvider services) =>
        services.GetRequiredService<WatermarkService>();
}
