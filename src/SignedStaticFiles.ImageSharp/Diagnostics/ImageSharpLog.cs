using Microsoft.Extensions.Logging;

namespace SignedStaticFiles.ImageSharp.Diagnostics;

/// <summary>Log events of the image engine (ids 100–199). Never the token, never the stamp text.</summary>
internal static partial class ImageSharpLog
{
    [LoggerMessage(100, LogLevel.Warning, "Refused to serve {Path} ({Status}): {Reason}.")]
    public static partial void Refused(ILogger logger, string path, int status, string reason, Exception? exception);

    [LoggerMessage(101, LogLevel.Warning, "Image queue full: answered 503 for {Path}.")]
    public static partial void QueueFull(ILogger logger, string path);

    [LoggerMessage(102, LogLevel.Debug, "Rendered a variant of {Path}: {Bytes} bytes in {Milliseconds} ms.")]
    public static partial void Rendered(ILogger logger, string path, int bytes, double milliseconds);

    [LoggerMessage(103, LogLevel.Warning, "No available font can draw {CodePoint}: stamps with such characters use the ASCII fallback text (user id, time, link id). Install a font that covers it (Debian: fonts-noto-core, fonts-noto-cjk). Logged once.")]
    public static partial void NoFontForCharacter(ILogger logger, string codePoint);
}
