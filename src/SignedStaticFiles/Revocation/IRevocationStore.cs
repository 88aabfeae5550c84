namespace SignedStaticFiles.Revocation;

/// <summary>
/// Where revocations are kept beyond this process (a farm's shared store). Without one, revocations live in
/// the memory of the process only. The store's own reader (a hosted service of its package) feeds revocations
/// made on other nodes into <see cref="RevocationList.Apply"/> and confirms the list is in sync
/// (<see cref="RevocationList.Confirm"/>).
/// </summary>
internal interface IRevocationStore
{
    /// <summary>For logs: which store (never a secret such as a connection string).</summary>
    string Name { get; }

    /// <summary>
    /// Added to the revoking node's clock to stamp a revocation's cutoff, so that a node whose clock runs ahead
    /// by up to this much cannot have minted, before the revocation, a link stamped after it.
    /// </summary>
    TimeSpan ClockSkewAllowance { get; }

    /// <summary>
    /// How long after its last confirmed sync a node still answers links it does not know to be revoked; after
    /// that, they answer 503 (<see cref="SignedFileOutcome.RevocationStateUnknown"/>) until it has resynced.
    /// </summary>
    TimeSpan MaxStaleness { get; }

    /// <summary>Stores and publishes a revocation; throws when it cannot (never silently lost).</summary>
    ValueTask WriteAsync(RevocationEntry entry, CancellationToken cancellationToken);
}
