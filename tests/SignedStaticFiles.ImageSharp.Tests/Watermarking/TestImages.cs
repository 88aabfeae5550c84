using System.Buffers.Binary;
using System.IO.Compression;
using SignedStaticFiles.ImageSharp.Stamping;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SignedStaticFiles.ImageSharp.Tests.Watermarking;

/// <summary>Test images generated in code: no binary fixture in the repository.</summary>
internal static class TestImages
{
    /// <summary>A smooth colour field (no two quadrants alike), deterministic.</summary>
    public static Image<Rgba32> Field(int width, int height)
    {
        var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgba32(
                        (byte)(40 + (160 * x / width)),
                        (byte)(60 + (140 * y / height)),
                        (byte)(200 - (120 * (x + y) / (width + height))),
                        255);
                }
            }
        });
        return image;
    }

    /// <summary>A flat grey image.</summary>
    public static Image<Rgba32> Flat(int width, int height, byte grey = 128) =>
        new(width, height, new Rgba32(grey, grey, grey, 255));

    public static byte[] Jpeg(Image<Rgba32> image, int quality = 92)
    {
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = quality });
        return stream.ToArray();
    }

    public static byte[] Png(Image<Rgba32> image)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        return stream.ToArray();
    }

    public static byte[] Jpeg(int width, int height)
    {
        using var image = Field(width, height);
        return Jpeg(image);
    }

    public static Image<Rgba32> Decode(byte[] data) => Image.Load<Rgba32>(data);

    /// <summary>A JPEG whose EXIF carries GPS coordinates, a camera model and an orientation.</summary>
    public static byte[] JpegWithExif(Image<Rgba32> image, ushort orientation = 1)
    {
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Orientation, orientation);
        exif.SetValue(ExifTag.Model, "SpecimenCam 3000");
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.GPSLatitude, [new Rational(48, 1), new Rational(51, 1), new Rational(2964, 100)]);
        exif.SetValue(ExifTag.GPSLongitudeRef, "E");
        exif.SetValue(ExifTag.GPSLongitude, [new Rational(2, 1), new Rational(17, 1), new Rational(4008, 100)]);
        using var clone = image.Clone();
        clone.Metadata.ExifProfile = exif;
        return Jpeg(clone);
    }

    /// <summary>
    /// A PNG that declares 50,000 × 50,000 pixels (10 GB decoded as RGBA) in a few kilobytes: the header,
    /// one compressed IDAT of the first rows, the end.
    /// </summary>
    public static byte[] PngBomb(int side = 50_000)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, side);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
        header[8] = 8;  // bit depth
        header[9] = 2;  // truecolour
        WriteChunk(output, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                var row = new byte[1 + (side * 3)];
                for (var i = 0; i < 8; i++)
                {
                    zlib.Write(row);
                }
            }

            WriteChunk(output, "IDAT", compressed.ToArray());
        }

        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A minimal valid little-endian TIFF (8×8 grey, uncompressed).</summary>
    public static byte[] Tiff()
    {
        const int side = 8;
        var data = new List<byte>();
        data.AddRange("II"u8.ToArray());
        data.AddRange(BitConverter.GetBytes((ushort)42));
        data.AddRange(BitConverter.GetBytes(8u)); // IFD offset
        ushort[][] entries =
        [
            [256, 3, 1, side], [257, 3, 1, side], [258, 3, 1, 8], [259, 3, 1, 1],
            [262, 3, 1, 1], [273, 4, 1, 0], [277, 3, 1, 1], [278, 3, 1, side], [279, 4, 1, side * side],
        ];
        var pixelOffset = 8 + 2 + (entries.Length * 12) + 4;
        data.AddRange(BitConverter.GetBytes((ushort)entries.Length));
        foreach (var e in entries)
        {
            data.AddRange(BitConverter.GetBytes(e[0]));
            data.AddRange(BitConverter.GetBytes(e[1]));
            data.AddRange(BitConverter.GetBytes((uint)e[2]));
            var value = e[0] == 273 ? (uint)pixelOffset : e[3];
            data.AddRange(e[1] == 3 ? [.. BitConverter.GetBytes((ushort)value), 0, 0] : BitConverter.GetBytes(value));
        }

        data.AddRange(BitConverter.GetBytes(0u));
        data.AddRange(Enumerable.Repeat((byte)128, side * side));
        return [.. data];
    }

    /// <summary>A GIF (valid, 1×1).</summary>
    public static byte[] Gif()
    {
        using var image = new Image<Rgba32>(4, 4, new Rgba32(200, 10, 10, 255));
        using var stream = new MemoryStream();
        image.SaveAsGif(stream);
        return stream.ToArray();
    }

    /// <summary>Renders the stamp of <paramref name="text"/> alone over a flat grey image of the given size.</summary>
    public static Image<Rgba32> StampAlone(string text, int width, int height, float opacity = 0.3f)
    {
        var image = Flat(width, height);
        var renderer = SignedStaticFiles.ImageSharp.Tests.Infrastructure.EngineHarness.Renderer;
        var lineHeight = WatermarkStamp.LineHeightFor(width, height);
        using var stamp = WatermarkStamp.Create(renderer.Render(renderer.Resolve(text, null)!, lineHeight), lineHeight, opacity, overlay: null);
        stamp.ApplyTo(image);
        return image;
    }

    /// <summary>Luminance difference a − b per pixel.</summary>
    public static float[] LuminanceDelta(Image<Rgba32> a, Image<Rgba32> b)
    {
        var delta = new float[a.Width * a.Height];
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                var p = a[x, y];
                var q = b[x, y];
                delta[(y * a.Width) + x] = Luma(p) - Luma(q);
            }
        }

        return delta;
    }

    public static float Luma(Rgba32 p) => (0.299f * p.R) + (0.587f * p.G) + (0.114f * p.B);

    /// <summary>Pearson correlation of two equally long series.</summary>
    public static double Correlation(float[] a, float[] b)
    {
        double meanA = a.Average(), meanB = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var da = a[i] - meanA;
            var db = b[i] - meanB;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }

        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>Mean absolute per-channel difference over a rectangle.</summary>
    public static double MeanAbsoluteDifference(Image<Rgba32> a, Image<Rgba32> b, Rectangle area)
    {
        double sum = 0;
        for (var y = area.Top; y < area.Bottom; y++)
        {
            for (var x = area.Left; x < area.Right; x++)
            {
                var p = a[x, y];
                var q = b[x, y];
                sum += Math.Abs(p.R - q.R) + Math.Abs(p.G - q.G) + Math.Abs(p.B - q.B);
            }
        }

        return sum / (area.Width * area.Height * 3);
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc32([.. typeBytes, .. data]);
        BinaryPrimitives.WriteUInt32BigEndian(length, crc);
        output.Write(length);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
