using Microsoft.Extensions.Logging;
using SignedStaticFiles.Revocation;

namespace SignedStaticFiles.Diagnostics;

/// <summary>Events of revocation (<see cref="ISignedUrlRevoker"/> and the farm's revocation store): ids 30 to 39.</summary>
internal static partial class SignedStaticFilesLog
{
    [LoggerMessage(30, LogLevel.Information, "Revoked {Kind} '{Key}': matching links issued until {Cutoff:O} answer 410.")]
    public static partial void Revoked(ILogger logger, RevocationKind kind, string key, DateTimeOffset cutoff);

    [LoggerMessage(31, LogLevel.Debug, "Learned from {Store} the revocation of {Kind} '{Key}' (links issued until {Cutoff:O}).")]
    public static partial void RevocationReceived(ILogger logger, string store, RevocationKind kind, string key, DateTimeOffset cutoff);

    [LoggerMessage(32, LogLevel.Error,
        "The revocation of {Kind} '{Key}' could not be stored in {Store}: this node enforces it, the others do not know it. The call threw; repeat it.")]
    public static partial void RevocationNotStored(ILogger logger, RevocationKind kind, string key, string store, Exception exception);

    [LoggerMessage(33, LogLevel.Warning,
        "This node cannot confirm it knows every revocation ({Store} has not answered for {Silence}): links it knows to be revoked answer 410, every other link answers 503 until it has resynced. Logged once per outage.")]
    public static partial void RevocationStateUnknown(ILogger logger, string store, TimeSpan silence, Exception? exception);

    [LoggerMessage(34, LogLevel.Information, "Revocations are in sync with {Store} again after {Outage}; {Learned} revocations were learned while out of touch.")]
    public static partial void RevocationStateResynced(ILogger logger, string store, TimeSpan outage, int learned);

    [LoggerMessage(35, LogLevel.Debug, "Dropped {Dropped} revocations that can no longer match a live link; {Held} held.")]
    public static partial void RevocationsCompacted(ILogger logger, int dropped, int held);

    [LoggerMessage(36, LogLevel.Information, "Loaded {Count} revocations from {Store} in {Elapsed}.")]
    public static partial void RevocationsLoaded(ILogger logger, int count, string store, TimeSpan elapsed);

    [LoggerMessage(37, LogLevel.Error,
        "{Store} lost the revocations it held (restarted empty or flushed): this node stores again the {Count} revocations it holds, so that nodes started later know them.")]
    public static partial void RevocationStoreLost(ILogger logger, string store, int count);

    [LoggerMessage(38, LogLevel.Error, "A revocation listener ({Listener}) failed; the revocation is enforced regardless.")]
    public static partial void RevocationListenerFailed(ILogger logger, string listener, Exception exception);

    [LoggerMessage(39, LogLevel.Warning,
        "This node's clock differs from {Store}'s by {Skew}, more than half the clock-skew allowance ({Allowance}): a node whose clock runs ahead by more than the allowance can mint links that escape a revocation. Synchronise the clocks (NTP) or raise the allowance. Logged once.")]
    public static partial void RevocationClockSkew(ILogger logger, string store, TimeSpan skew, TimeSpan allowance);
}
