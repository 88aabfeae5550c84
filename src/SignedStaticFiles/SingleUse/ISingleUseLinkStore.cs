namespace SignedStaticFiles;

/// <summary>
/// Remembers which single-use links were used, so that each works once. The default keeps the record in
/// the memory of the process (one server); a web farm shares one store between its nodes, for example with
/// <c>PersistSingleUseLinksToStackExchangeRedis</c> from the <c>SignedStaticFiles.StackExchangeRedis</c>
/// package. Register another implementation in DI to replace it.
/// </summary>
/// <remarks>
/// <para>
/// Implementations must be thread-safe, and <see cref="TryConsumeAsync"/> must be atomic across every node
/// that shares the store: of any number of concurrent calls with the same link id, exactly one returns
/// <see langword="true"/>.
/// </para>
/// <para>
/// When the store cannot answer (a network failure, a timeout), throw: the middleware then refuses the
/// single-use link with 503 (fail closed, never served twice) and logs the outage once until a later call
/// succeeds. Plain links never reach the store and keep working.
/// </para>
/// </remarks>
public interface ISingleUseLinkStore
{
    /// <summary>
    /// Records the use of a link, atomically, unless it was already recorded.
    /// </summary>
    /// <param name="linkId">The random identifier of the link (16 base64url characters).</param>
    /// <param name="keepUntil">
    /// The instant until which the record must be kept: the link's expiry plus a clock-skew allowance.
    /// Every node refuses the link after its expiry, so the record may be dropped after this instant.
    /// </param>
    /// <param name="cancellationToken">Cancelled when the request is aborted.</param>
    /// <returns>
    /// <see langword="true"/> when this call recorded the first use (the link is served);
    /// <see langword="false"/> when the link was already used (it answers 410).
    /// </returns>
    ValueTask<bool> TryConsumeAsync(string linkId, DateTimeOffset keepUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Tells whether a link was already used, without recording anything. Used for <c>HEAD</c>, which must
    /// answer like the <c>GET</c> would without consuming the link.
    /// </summary>
    /// <param name="linkId">The random identifier of the link.</param>
    /// <param name="cancellationToken">Cancelled when the request is aborted.</param>
    /// <returns><see langword="true"/> when the link was already used.</returns>
    ValueTask<bool> IsConsumedAsync(string linkId, CancellationToken cancellationToken);

    /// <summary>
    /// Reserves the one use of a link, atomically: of any number of concurrent calls with the same link id on
    /// every node sharing the store, exactly one returns <see langword="true"/>, and while the reservation is
    /// held every other call returns <see langword="false"/> (the link answers 410). The reservation lasts
    /// until <paramref name="keepUntil"/> unless <see cref="ReleaseAsync"/> gives the use back, so a node that
    /// dies mid-answer leaves the link used (fail closed).
    /// </summary>
    /// <param name="linkId">The random identifier of the link.</param>
    /// <param name="keepUntil">The instant until which the record must be kept (the link's expiry plus a clock-skew allowance).</param>
    /// <param name="cancellationToken">Cancelled when the request is aborted.</param>
    /// <returns>Whether this call holds the reservation. The default implementation consumes the link (<see cref="TryConsumeAsync"/>).</returns>
    ValueTask<bool> TryReserveAsync(string linkId, DateTimeOffset keepUntil, CancellationToken cancellationToken) =>
        TryConsumeAsync(linkId, keepUntil, cancellationToken);

    /// <summary>
    /// Makes a reservation final: the answer delivered the file. The default implementation does nothing (a
    /// reservation already lasts until the link's expiry).
    /// </summary>
    /// <param name="linkId">The random identifier of the link.</param>
    /// <param name="keepUntil">The instant until which the record must be kept.</param>
    /// <param name="cancellationToken">Not tied to the request: a commit completes even when the client went away.</param>
    /// <returns>A task that completes when the use is recorded.</returns>
    ValueTask CommitAsync(string linkId, DateTimeOffset keepUntil, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Gives a reserved use back: the answer did not deliver the file (404, 415, 422, 503, or the client went
    /// away before the first byte), so the link works again. The default implementation does nothing: a store
    /// written for v1 cannot give a use back, and the link stays used (fail closed).
    /// </summary>
    /// <param name="linkId">The random identifier of the link.</param>
    /// <param name="cancellationToken">Not tied to the request.</param>
    /// <returns>A task that completes when the reservation is gone.</returns>
    ValueTask ReleaseAsync(string linkId, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
