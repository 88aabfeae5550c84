namespace SignedStaticFiles;

/// <summary>
/// Revokes signed links without rotating keys: one link, every link of one user, every link to one file or
/// folder, or every link. Resolve it from DI (<c>AddSignedStaticFiles</c> registers it). A revoked link answers
/// 410 "Link revoked" (<see cref="SignedFileOutcome.Revoked"/>) on every node that knows the revocation.
/// </summary>
/// <remarks>
/// <para>
/// "Issued until now": a revocation refuses every matching link minted up to the instant of the call, to the
/// millisecond of the links' issue time; a link minted after the call has returned works. Revocations cannot
/// be undone: to give access again, mint a new link.
/// </para>
/// <para>
/// The default keeps revocations in the memory of the process (one server; they are lost on restart).
/// <c>PersistRevocationsToStackExchangeRedis</c> (package <c>SignedStaticFiles.StackExchangeRedis</c>) stores them
/// in Redis and makes every node enforce them within a second. A revocation is remembered only as long as a
/// link it could match can still be alive: the largest <see cref="SignedStaticFilesOptions.MaxLifetime"/> of the
/// folders. See docs/revocation.md.
/// </para>
/// <para>
/// Every method returns once the revocation is enforced by this node and stored; when it cannot be stored
/// (the farm's store is out of reach) the method throws the store's exception: the revocation is enforced by
/// this node only, and the call should be repeated.
/// </para>
/// </remarks>
public interface ISignedUrlRevoker
{
    /// <summary>Revokes one link, by the id the audit trail reports (<see cref="SignedFileEventContext.LinkId"/>).</summary>
    /// <param name="linkId">The link's id: 16 base64url characters.</param>
    /// <param name="cancellationToken">Cancels waiting for the store.</param>
    /// <returns>A task that completes when the revocation is enforced and stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="linkId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="linkId"/> is not 16 base64url characters.</exception>
    ValueTask RevokeLinkAsync(string linkId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes every link bound to the user (<see cref="SignedUrlOptions.UserId"/>, or the signed-in user's
    /// <see cref="SignedStaticFilesOptions.UserIdClaimType"/> value) issued until now, in every folder. Links not
    /// bound to a user are not affected.
    /// </summary>
    /// <param name="userId">The user id sealed in the links (compared ordinally, case-sensitively); 1 to 1024 characters.</param>
    /// <param name="cancellationToken">Cancels waiting for the store.</param>
    /// <returns>A task that completes when the revocation is enforced and stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="userId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or longer than 1024 characters.</exception>
    ValueTask RevokeUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes every link issued until now to the file <paramref name="path"/>, or, when it names a folder, to
    /// every file at any depth below it. Segments are whole: <c>/protected/kyc/42</c> does not touch
    /// <c>/protected/kyc/420</c>. Compared case-insensitively, so a file reachable under two spellings on a
    /// case-insensitive store is revoked under both.
    /// </summary>
    /// <param name="path">
    /// The app-relative, unencoded path as links are minted for it (<c>/protected/kyc/42</c> or
    /// <c>~/protected/kyc/42/front.jpg</c>), without the request's PathBase; at or below a registered folder's
    /// <see cref="SignedStaticFilesOptions.RequestPath"/>. A trailing <c>/</c> is ignored.
    /// </param>
    /// <param name="cancellationToken">Cancels waiting for the store.</param>
    /// <returns>A task that completes when the revocation is enforced and stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="path"/> is not app-relative, has empty, <c>.</c>, <c>..</c> or dot-file segments, or is
    /// under no registered folder (it could match no link: most likely a missing <c>RequestPath</c> prefix).
    /// </exception>
    ValueTask RevokePathAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Revokes every link of every folder issued until now.</summary>
    /// <param name="cancellationToken">Cancels waiting for the store.</param>
    /// <returns>A task that completes when the revocation is enforced and stored.</returns>
    ValueTask RevokeAllAsync(CancellationToken cancellationToken = default);
}
