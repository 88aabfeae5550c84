namespace SignedStaticFiles.Watermarking;

/// <summary>A rendered, encoded watermarked image.</summary>
internal sealed record WatermarkVariant(byte[] Content, string ContentType);
