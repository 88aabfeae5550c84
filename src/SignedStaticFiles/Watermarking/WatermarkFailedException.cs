namespace SignedStaticFiles.Watermarking;

/// <summary>The image cannot be watermarked; <see cref="Exception.Message"/> says why (logged, never sent).</summary>
internal sealed class WatermarkFailedException : Exception
{
    public WatermarkFailedException()
    {
    }

    public WatermarkFailedException(string message)
        : base(message)
    {
    }

    public WatermarkFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
