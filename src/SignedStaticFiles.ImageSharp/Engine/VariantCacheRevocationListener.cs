using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Revocation;
using SignedStaticFiles.Variants;

namespace SignedStaticFiles.ImageSharp.Engine;

/// <summary>
/// Empties a folder's variant cache on every path or "all" revocation, so that withdrawn documents do not
/// linger in memory as rendered copies. Link and user revocations leave the cache alone: the files are still
/// served to other links, and a revoked link is refused before the cache is asked.
/// </summary>
internal sealed class VariantCacheRevocationListener(IServiceProvider services, string folderName) : IRevocationListener
{
    public void OnRevoked(RevocationEntry revocation)
    {
        if (revocation.Kind is RevocationKind.Path or RevocationKind.All
            && services.GetKeyedService<IVariantEngine>(folderName) is ImageVariantEngine engine)
        {
            engine.ForgetRenderedVariants();
        }
    }
}
