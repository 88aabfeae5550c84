using System.Buffers.Binary;

namespace SignedStaticFiles.ImageSharp.Imaging;

/// <summary>
/// Cheap structural reads of image containers that ImageSharp is not asked to do: the raw EXIF block (for
/// the orientation only: decoders run with metadata off, so EXIF, ICC, XMP and IPTC are never parsed), JPEG
/// completeness (a JPEG whose entropy-coded data stops before the end-of-image marker is refused, not
/// half-painted grey) and animated WebP (refused: only the first frame would be stamped). Every walk is as
/// lenient as the decoder: bytes between segments that are not a marker are skipped, as ImageSharp does, so
/// a JPEG the decoder reads whole is never called truncated here.
/// </summary>
internal static class ImageContainer
{
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

    /// <summary>
    /// The EXIF orientation (1–8) of a JPEG, PNG or WebP, read from the raw block: the TIFF header and the
    /// first directory only, looking for tag 0x0112 and nothing else. 1 (upright) when absent or malformed.
    /// </summary>
    public static ushort ReadOrientation(ReadOnlySpan<byte> data)
    {
        var exif = FindExif(data);
        if (exif is null || exif.Length < 8)
        {
            return 1;
        }

        var tiff = exif.AsSpan();
        bool little;
        if (tiff.StartsWith("II*\0"u8))
        {
            little = true;
        }
        else if (tiff.StartsWith("MM\0*"u8))
        {
            little = false;
        }
        else
        {
            return 1;
        }

        uint ReadUInt32(ReadOnlySpan<byte> at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(at) : BinaryPrimitives.ReadUInt32BigEndian(at);
        ushort ReadUInt16(ReadOnlySpan<byte> at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(at) : BinaryPrimitives.ReadUInt16BigEndian(at);

        var directory = ReadUInt32(tiff[4..]);
        if (directory > (uint)(tiff.Length - 2))
        {
            return 1;
        }

        var entries = ReadUInt16(tiff[(int)directory..]);
        for (var n = 0; n < entries; n++)
        {
            var entry = (int)directory + 2 + (12 * n);
            if (entry + 12 > tiff.Length)
            {
                return 1;
            }

            // Tag 0x0112, type SHORT (3), one value, stored in the first two bytes of the value field.
            if (ReadUInt16(tiff[entry..]) == 0x0112)
            {
                var value = ReadUInt16(tiff[(entry + 2)..]) == 3 && ReadUInt32(tiff[(entry + 4)..]) == 1 ? ReadUInt16(tiff[(entry + 8)..]) : (ushort)1;
                return value is >= 1 and <= 8 ? value : (ushort)1;
            }
        }

        return 1;
    }

    /// <summary>Whether a WebP declares animation (VP8X flag).</summary>
    public static bool IsAnimatedWebp(ReadOnlySpan<byte> data) =>
        data.Length >= 21 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8)
        && data[12..16].SequenceEqual("VP8X"u8) && (data[20] & 0x02) != 0;

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
                // Not a marker where one should be: skip to the next 0xFF, as the decoder does.
                var next = data[(i + 1)..].IndexOf((byte)0xFF);
                if (next < 0)
                {
                    return -1;
                }

                i += next + 1;
                continue;
            }

            var current = data[i + 1];
            if (current == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            if (current == 0x00)
            {
                i += 2; // a stuffed 0xFF00 outside a scan is junk to the decoder too
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
