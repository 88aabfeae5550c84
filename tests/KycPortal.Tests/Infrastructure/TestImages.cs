using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace KycPortal.Tests.Infrastructure;

/// <summary>Images built in memory for uploads: good ones, and each kind of bad one.</summary>
public static class TestImages
{
    public static byte[] Jpeg(int width = 400, int height = 250, Rgb24? color = null, ExifProfile? exif = null)
    {
        using var image = new Image<Rgb24>(width, height, color ?? new Rgb24(90, 140, 200));
        // A diagonal stripe so the image is not uniform (and orientation changes are visible).
        for (var x = 0; x < Math.Min(width, height); x++)
        {
            image[x, x] = new Rgb24(255, 255, 255);
        }

        image.Metadata.ExifProfile = exif;
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = 85 });
        return output.ToArray();
    }

    public static byte[] Png(int width = 300, int height = 300)
    {
        using var image = new Image<Rgba32>(width, height, new Rgba32(200, 120, 40, 255));
        using var output = new MemoryStream();
        image.Save(output, new PngEncoder());
        return output.ToArray();
    }

    public static UploadFile GoodJpeg(string name = "photo.jpg") => new(name, Jpeg());

    public static UploadFile GoodPng(string name = "scan.png") => new(name, Png(), "image/png");

    /// <summary>
    /// A PNG that declares 50,000 × 50,000 pixels (2.5 gigapixels, 10 GB as RGBA) in a few KB: a valid
    /// signature and IHDR, then a short deflate stream of zeros. Decoding it would exhaust memory; only
    /// the header may ever be read.
    /// </summary>
    public static byte[] PngBomb()
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, 50_000);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), 50_000);
        ihdr[8] = 8;   // bit depth
        ihdr[9] = 6;   // RGBA
        WriteChunk(output, "IHDR", ihdr);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[1024 * 1024]);
        }

        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>
    /// A valid 16-bit RGB PNG of <paramref name="side"/> × <paramref name="side"/> pixels, all black: 6300 × 6300
    /// is 39.7 megapixels (under a 40-megapixel cap) but 238 MB once decoded at 6 bytes a pixel, in about
    /// 300 KB of file. Every row is real, so a decoder has to inflate and convert all of it.
    /// </summary>
    public static byte[] Png16BitBomb(int side = 6300)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, side);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), side);
        ihdr[8] = 16;  // bit depth
        ihdr[9] = 2;   // RGB
        WriteChunk(output, "IHDR", ihdr);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + (side * 6)];   // filter byte 0, then the row's samples
            for (var y = 0; y < side; y++)
            {
                zlib.Write(row);
            }
        }

        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        output.Write(buffer);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc32([.. typeBytes, .. data]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, crc);
        output.Write(buffer);
    }

    /// <summary>CRC-32 (ISO-HDLC) as PNG chunks need it.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
