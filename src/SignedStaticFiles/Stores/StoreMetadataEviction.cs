using Microsoft.AspNetCore.Http;
using SignedStaticFiles.Folders;

namespace SignedStaticFiles.Stores;

/// <summary>The node's <see cref="IStoreMetadataEviction"/>: finds the folders a path touches and evicts in their caches.</summary>
internal sealed class StoreMetadataEviction(SignedFolderRegistry folders) : IStoreMetadataEviction
{
    public void Evict(string appPath)
    {
        ArgumentNullException.ThrowIfNull(appPath);
        var path = new PathString(appPath.Length == 0 || appPath[0] != '/' ? "/" + appPath : appPath);
        foreach (var folder in folders.Folders)
        {
            if (folder.Store is not CachedFileStore store)
            {
                continue;
            }

            // Folders match by segment, case-insensitively, as requests do (see SignedFolderRegistry.Match).
            if (path.StartsWithSegments(folder.RequestPath, StringComparison.OrdinalIgnoreCase, out var below))
            {
                store.Evict(below.HasValue ? below.Value! : "/");
            }
            else if (path.Value == "/" || folder.RequestPath.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase))
            {
                store.Evict("/");
            }
        }
    }

    public void EvictAll()
    {
        foreach (var folder in folders.Folders)
        {
            (folder.Store as CachedFileStore)?.Evict("/");
        }
    }
}
