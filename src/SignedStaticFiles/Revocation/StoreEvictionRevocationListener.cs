using SignedStaticFiles.Stores;

namespace SignedStaticFiles.Revocation;

/// <summary>
/// A path revocation also drops what the folders' store caches hold about that path, and "revoke all" drops
/// everything: when an applicant's documents are withdrawn, nothing about them stays cached on the node. Link and
/// user revocations name no file. Eviction never decides an answer (the revocation does), so it is local to each
/// node, which learns the revocation itself.
/// </summary>
internal sealed class StoreEvictionRevocationListener(IStoreMetadataEviction? eviction = null) : IRevocationListener
{
    public void OnRevoked(RevocationEntry revocation)
    {
        // No object store registered (every folder on the local disk): nothing is cached.
        if (eviction is null)
        {
            return;
        }

        if (revocation.Kind == RevocationKind.Path)
        {
            eviction.Evict(revocation.Key);
        }
        else if (revocation.Kind == RevocationKind.All)
        {
            eviction.EvictAll();
        }
    }
}
