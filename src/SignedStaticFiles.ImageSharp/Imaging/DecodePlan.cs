using SixLabors.ImageSharp.Formats;

namespace SignedStaticFiles.ImageSharp.Imaging;

/// <summary>What the header said, once every cap passed: the image may be decoded.</summary>
internal sealed record DecodePlan(IImageFormat Format, int Width, int Height, int SourceBitsPerPixel)
{
    /// <summary>JPEG has no alpha: decoded as 3 bytes a pixel (less to decode, stamp and encode); PNG and WebP as 4.</summary>
    public bool HasAlpha => Format != SixLabors.ImageSharp.Formats.Jpeg.JpegFormat.Instance;
}
