using System.Buffers.Binary;

namespace SignedStaticFiles.Watermarking;

/// <summary>
/// Cheap structural reads of image containers, done before ImageSharp sees the bytes: signature sniffing
/// (so a JPEG named <c>.bin</c> in an <see cref="WatermarkMode.Always"/> folder is still treated as an
/// image), the EXIF block (for orientation only: decoders run with metadata off, so ICC is never parsed),
/// JPEG completeness (a truncated JPEG is refused, not half-painted grey) and animated WebP (refused: every
/// frame would be decoded).
/// </summary>
internal static class ImageContainer
{
    /// <summary>The bytes needed by <see cref="LooksLikeImage"/>.</summary>
    public const int SniffLength = 12;

    /// <summary>Whether the first bytes are the signature of a raster image format, supported or not.</summary>
    public static bool LooksLikeImage(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])                                   // JPEG
        || head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])           // PNG
        || head.StartsWith("GIF8"u8)                                                              // GIF
        || (head.StartsWith("RIFF"u8) && head.Length >= 12 && head[8..12].SequenceEqual("WEBP"u8)) // WebP
        || head.StartsWith((ReadOnlySpan<byte>)[(byte)'I', (byte)'I', 42, 0])                     // TIFF, little-endian
        || head.StartsWith((ReadOnlySpan<byte>)[(byte)'M', (byte)'M', 0, 42])                     // TIFF, big-endian
        || (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))                              // HEIC/AVIF (ISO BMFF)
        || head.StartsWith((ReadOnlySpan<byte>)[0, 0, 1, 0]);                                     // ICO

    /// <summary>The raw EXIF block (TIFF header onward) of a JPEG, PNG or WebP, or null.</summary>
    public static byte[]? FindExif(ReadOnlySpan<byte> data)
    {
        try
        {
            return data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]) ? FindJpegExif(data)
                : data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) ? FindPngExif(data)
                : data.StartsWith("RIFF"u8) ? FindWebpExif(data)
                : null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // a malformed container has no usable EXIF; the decoder decides about the rest
        }
    }

    /// <summary>
    /// Whether a JPEG has its end-of-image marker after the first start-of-scan. A truncated file has not;
    /// the decoder would fill the missing rows and answer success.
    /// </summary>
    public static bool IsCompleteJpeg(ReadOnlySpan<byte> data)
    {
        var scan = FindJpegSegment(data, 0xDA, out _);
        return scan >= 0 && data[scan..].LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) >= 0;
    }

    /// <summary>Whether a WebP declares animation (VP8X flag).</summary>
    public static bool IsAnimatedWebp(ReadOnlySpan<byte> data) =>
        data.Length >= 21 && data[12..16].SequenceEqual("VP8X"u8) && (data[20] & 0x02) != 0;

    private static byte[]? FindJpegExif(ReadOnlySpan<byte> data)
    {
        var offset = 2;
        while (true)
        {
            var start = FindJpegSegment(data[offset..], 0xE1, out var length);
            if (start < 0)
            {
                return null;
            }

            var payload = data.Slice(offset + start + 4, length - 2);
            if (payload.StartsWith("Exif\0\0"u8))
            {
                return payload[6..].ToArray();
            }

            offset += start + 2 + length;
        }
    }

    /// <summary>
    /// The offset of the first segment with <paramref name="marker"/> before the scan data (or of the
    /// start-of-scan itself), -1 when absent or malformed. <paramref name="length"/> includes its two bytes.
    /// </summary>
    private static int FindJpegSegment(ReadOnlySpan<byte> data, byte marker, out int length)
    {
        length = 0;
        var i = data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]) ? 2 : 0;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF)
            {
                return -1;
            }

            var current = data[i + 1];
            if (current == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            if (current is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2; // standalone markers
                continue;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
            if (length < 2 || i + 2 + length > data.Length)
            {
                return -1;
            }

            if (current == marker)
            {
                return i;
            }

            if (current == 0xDA)
            {
                return -1;
            }

            i += 2 + length;
        }

        return -1;
    }

    private static byte[]? FindPngExif(ReadOnlySpan<byte> data)
    {
        var i = 8;
        while (i + 12 <= data.Length)
        {
            var length = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data[i..]), int.MaxValue - 64);
            var type = data.Slice(i + 4, 4);
            if (type.SequenceEqual("eXIf"u8))
            {
                return data.Slice(i + 8, length).ToArray();
            }

            if (type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8))
            {
                return null; // eXIf must precede the image data
            }

            i += 12 + length;
        }

        return null;
    }

    private static byte[]? FindWebpExif(ReadOnlySpan<byte> data)
    {
        var i = 12;
        while (i + 8 <= data.Length)
        {
            var length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]), int.MaxValue - 64);
            if (data.Slice(i, 4).SequenceEqual("EXIF"u8))
            {
                var payload = data.Slice(i + 8, length);
                return (payload.StartsWith("Exif\0\0"u8) ? payload[6..] : payload).ToArray();
            }

            i += 8 + length + (length & 1);
        }

        return null;
    }
}
