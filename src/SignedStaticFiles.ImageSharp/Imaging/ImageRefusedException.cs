namespace SignedStaticFiles.ImageSharp.Imaging;

/// <summary>
/// The image cannot be served as asked: <see cref="Outcome"/> says how to answer (415 or 422),
/// <see cref="Exception.Message"/> why (logged, never sent), <see cref="Reason"/> the metric tag.
/// </summary>
internal sealed class ImageRefusedException : Exception
{
    public ImageRefusedException()
    {
    }

    public ImageRefusedException(string message)
        : base(message)
    {
    }

    public ImageRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ImageRefusedException(SignedFileOutcome outcome, string reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Outcome = outcome;
        Reason = reason;
    }

    /// <summary><see cref="SignedFileOutcome.UnsupportedMediaType"/> (415) or <see cref="SignedFileOutcome.WatermarkFailed"/> (422).</summary>
    public SignedFileOutcome Outcome { get; } = SignedFileOutcome.WatermarkFailed;

    /// <summary>A fixed snake_case word for metrics: unsupported_media_type, too_large, too_many_pixels, too_many_decoded_bytes, corrupt, truncated, no_visible_text.</summary>
    public string Reason { get; } = "corrupt";
}
