using Microsoft.Extensions.Logging;

namespace SignedStaticFiles.Watermarking;

/// <summary>Log events of the watermark pipeline (ids 100–199). Never the token, never the text.</summary>
internal static partial class WatermarkLog
{
    [LoggerMessage(100, LogLevel.Warning, "Refused to serve {Path}: a watermark is required and {Reason}.")]
    public static partial void Failed(ILogger logger, string path, string reason, Exception? exception);

    [LoggerMessage(101, LogLevel.Warning, "Watermark queue full: answered 503 for {Path}.")]
    public static partial void QueueFull(ILogger logger, string path);

    [LoggerMessage(102, LogLevel.Debug, "Rendered a watermarked variant of {Bytes} bytes in {Milliseconds} ms.")]
    public static partial void Rendered(ILogger logger, int bytes, double milliseconds);
}
