using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Revocation;

/// <summary>
/// Empties the memory of minted links (<see cref="SignedStaticFilesOptions.LinkReuseWindow"/>) on every revocation
/// this node learns, its own or the farm's, so that a re-mint never hands out a revoked URL.
/// </summary>
internal sealed class LinkReuseRevocationListener(LinkReuseMemory reuse) : IRevocationListener
{
    public void OnRevoked(RevocationEntry revocation) => reuse.Clear();
}
