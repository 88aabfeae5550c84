using Microsoft.Extensions.Logging;

namespace SignedStaticFiles.Diagnostics;

/// <summary>
/// Every log event of the package, with stable ids: 1–19 serving, 20–29 stores, 30–39 revocation, 50–59
/// single use and the key ring, 100–149 images. None of them takes the token or the query string:
/// a token in a log file is a working link handed to whoever reads the logs (docs/security-model.md, T9; the events: docs/diagnostics.md).
/// </summary>
internal static partial class SignedStaticFilesLog
{
    [LoggerMessage(1, LogLevel.Debug, "Served {Path} through link {LinkId} with status {StatusCode}.")]
    public static partial void Served(ILogger logger, string path, string linkId, int statusCode);

    [LoggerMessage(2, LogLevel.Information, "Refused {Path}: {Outcome} (link {LinkId}).")]
    public static partial void Refused(ILogger logger, string path, SignedFileOutcome outcome, string? linkId);

    [LoggerMessage(3, LogLevel.Debug, "Refused {Path}: {Outcome}.")]
    public static partial void Declined(ILogger logger, string path, SignedFileOutcome outcome);

    [LoggerMessage(20, LogLevel.Error,
        "The file store of folder '{Folder}' ({Store}) cannot be reached: its files answer 503 until it answers again. Logged once per outage.")]
    public static partial void StoreUnavailable(ILogger logger, string folder, string store, Exception exception);

    [LoggerMessage(21, LogLevel.Information, "The file store of folder '{Folder}' ({Store}) answers again.")]
    public static partial void StoreRecovered(ILogger logger, string folder, string store);

    [LoggerMessage(4, LogLevel.Error, "The image engine failed on {Path}; answered 422, never the original.")]
    public static partial void VariantFailed(ILogger logger, string path, Exception exception);
}
