namespace SignedStaticFiles.Revocation;

/// <summary>
/// Told of every revocation this node learns (its own and the farm's), once it is enforced. Register
/// implementations in DI (<c>TryAddEnumerable</c>, singleton): a memory of minted links that re-mint returns
/// (link reuse) must forget what the revocation matches, so that a re-mint never hands out a revoked URL; a store's
/// cache of file metadata or variants should drop what a path revocation names.
/// </summary>
/// <remarks>
/// Called synchronously on the thread that applied the revocation (a request thread of
/// <see cref="ISignedUrlRevoker"/>, or the farm store's reader): keep it short and non-blocking. An exception is
/// logged and does not undo the revocation. Use <see cref="RevocationList.Matches"/> to test a minted link
/// against the revocation.
/// </remarks>
internal interface IRevocationListener
{
    /// <summary>A revocation was applied (or a later cutoff for the same key).</summary>
    void OnRevoked(RevocationEntry revocation);
}
