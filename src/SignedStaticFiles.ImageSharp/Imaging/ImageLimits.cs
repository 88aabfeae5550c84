namespace SignedStaticFiles.ImageSharp.Imaging;

/// <summary>The caps checked before any pixel is decoded.</summary>
/// <param name="MaxInputBytes">The largest encoded file, in bytes.</param>
/// <param name="MaxMegapixels">The largest width × height / 1,000,000.</param>
/// <param name="MaxDecodedBytes">The largest width × height × bytes per pixel (source or working copy, the larger).</param>
internal readonly record struct ImageLimits(long MaxInputBytes, double MaxMegapixels, long MaxDecodedBytes)
{
    public static ImageLimits From(WatermarkOptions options) => new(options.MaxInputBytes, options.MaxMegapixels, options.MaxDecodedBytes);
}
