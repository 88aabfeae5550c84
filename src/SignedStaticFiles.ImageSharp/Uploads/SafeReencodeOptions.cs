namespace SignedStaticFiles.ImageSharp;

/// <summary>Limits and output of <see cref="SafeImageReencoder"/>. Every cap is checked before any pixel is decoded.</summary>
public sealed class SafeReencodeOptions
{
    /// <summary>The largest upload, in bytes; a larger one is refused without reading past the limit. Default 25 MiB.</summary>
    public long MaxInputBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>The largest image, in megapixels (width × height / 1,000,000), from its header. Default 40.</summary>
    public double MaxMegapixels { get; set; } = 40;

    /// <summary>
    /// The most memory the decoded image may take, in bytes: width × height × the bytes a pixel takes (a
    /// 16-bit RGBA PNG takes 8). Default 160 MiB.
    /// </summary>
    public long MaxDecodedBytes { get; set; } = 160L * 1024 * 1024;

    /// <summary>The output format. Default <see cref="ReencodeFormat.Same"/>.</summary>
    public ReencodeFormat Format { get; set; } = ReencodeFormat.Same;

    /// <summary>Quality of JPEG and lossy WebP output, 1 to 100. Default 90.</summary>
    public int Quality { get; set; } = 90;
}
