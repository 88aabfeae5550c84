using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.Benchmarks;

/// <summary>
/// A deterministic photo-like JPEG: smooth gradients plus fine pseudo-random texture, so that its entropy
/// (and decode/encode cost) is closer to a camera picture than a flat synthetic image.
/// </summary>
internal static class SyntheticPhoto
{
    public static byte[] Jpeg(int width, int height, int seed = 1, int quality = 90)
    {
        using var image = new Image<Rgb24>(width, height);
        var state = (uint)(seed * 2654435761);
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    var noise = (int)(state % 41) - 20;
                    var wave = (int)(30 * Math.Sin((x * 0.013) + (seed * 0.7)) * Math.Cos(y * 0.009));
                    row[x] = new Rgb24(
                        (byte)Math.Clamp(60 + (150 * x / width) + noise + wave, 0, 255),
                        (byte)Math.Clamp(80 + (120 * y / height) + noise - wave, 0, 255),
                        (byte)Math.Clamp(170 - (100 * (x + y) / (width + height)) + noise, 0, 255));
                }
            }
        });
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = quality });
        return stream.ToArray();
    }
}
