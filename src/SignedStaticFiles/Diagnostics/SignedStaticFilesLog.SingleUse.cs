using Microsoft.Extensions.Logging;

namespace SignedStaticFiles.Diagnostics;

/// <summary>Events of single-use links and the key-ring startup check: ids 50 to 59.</summary>
internal static partial class SignedStaticFilesLog
{
    [LoggerMessage(50, LogLevel.Error,
        "The single-use link store ({Store}) cannot be reached: single-use links are refused with 503 until it answers again; plain links are not affected. Logged once per outage.")]
    public static partial void SingleUseStoreUnavailable(ILogger logger, string store, Exception exception);

    [LoggerMessage(51, LogLevel.Information, "The single-use link store ({Store}) answers again: single-use links are served.")]
    public static partial void SingleUseStoreRecovered(ILogger logger, string store);

    [LoggerMessage(52, LogLevel.Warning, "{Problem} {Consequence} Fix: {Fix}")]
    public static partial void KeyRingNotPersisted(ILogger logger, string problem, string consequence, string fix);
}
