namespace SignedStaticFiles.Revocation;

/// <summary>
/// One revocation as nodes exchange it: what it matches, the issue time up to which it refuses links, and when
/// it can be forgotten.
/// </summary>
/// <param name="Kind">What <paramref name="Key"/> is.</param>
/// <param name="Key">The link id, the user id or the app-relative path; empty for <see cref="RevocationKind.All"/>.</param>
/// <param name="CutoffMs">
/// Unix milliseconds: a matching link whose issue time (to the millisecond) is at or before it is refused. The
/// revoking node's clock plus the store's clock-skew allowance (docs/revocation.md).
/// </param>
/// <param name="ExpiresMs">
/// Unix milliseconds after which no link the revocation matches can still be alive (so it may be dropped):
/// the cutoff plus the largest folder <see cref="SignedStaticFilesOptions.MaxLifetime"/> plus one millisecond.
/// </param>
internal readonly record struct RevocationEntry(RevocationKind Kind, string Key, long CutoffMs, long ExpiresMs);
