using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SignedStaticFiles.Signing;

/// <summary>
/// The plaintext layout of a token, before DataProtection encrypts and authenticates it:
/// <c>version(1) linkId(12) issuedAtUnixMs(8, big-endian) { tag(1) length(2, big-endian) value(length) }*</c>.
/// The expiry is not here: it travels in the time-limited protector's own header.
/// </summary>
/// <remarks>
/// Unknown tags and duplicate tags make the payload invalid on purpose: a token minted by a newer node with a
/// feature this node does not know (a redaction, say) must be refused, never served without that feature.
/// </remarks>
internal static class SealedLinkCodec
{
    internal const byte Version = 2;
    internal const int LinkIdLength = 12;
    internal const int MaxRedactionRegions = 16;
    private const int HeaderLength = 1 + LinkIdLength + 8;

    private const byte TagPath = 1;
    private const byte TagUserId = 2;
    private const byte TagDownloadFileName = 3;
    private const byte TagWatermarkText = 4;
    private const byte TagSingleUse = 5;
    private const byte TagRedaction = 6;
    private const byte TagRedactionRegions = 7;

    /// <summary>Bytes of one region: x0, y0, x1, y1 as 16-bit fractions of 65535, then the style.</summary>
    private const int RegionLength = 9;

    /// <summary>A new random link id: 96 bits, base64url (16 characters).</summary>
    public static string NewLinkId()
    {
        Span<byte> id = stackalloc byte[LinkIdLength];
        RandomNumberGenerator.Fill(id);
        return Base64Url.EncodeToString(id);
    }

    public static byte[] Encode(SealedLink link)
    {
        var singleUse = link.SingleUse ? string.Empty : null;
        var regions = link.RedactionRegions is { Count: > 0 } r ? EncodeRegions(r) : null;
        var length = HeaderLength + FieldLength(link.Path) + FieldLength(link.UserId) + FieldLength(link.DownloadFileName)
            + FieldLength(link.WatermarkText) + FieldLength(singleUse) + FieldLength(link.Redaction)
            + (regions is null ? 0 : 3 + regions.Length);
        var buffer = new byte[length];
        buffer[0] = Version;
        if (Base64Url.DecodeFromChars(link.LinkId, buffer.AsSpan(1, LinkIdLength)) != LinkIdLength)
        {
            throw new ArgumentException("The link id must be 12 bytes in base64url.", nameof(link));
        }

        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(1 + LinkIdLength), link.IssuedAt.ToUnixTimeMilliseconds());
        var offset = HeaderLength;
        offset = WriteField(buffer, offset, TagPath, link.Path);
        offset = WriteField(buffer, offset, TagUserId, link.UserId);
        offset = WriteField(buffer, offset, TagDownloadFileName, link.DownloadFileName);
        offset = WriteField(buffer, offset, TagWatermarkText, link.WatermarkText);
        offset = WriteField(buffer, offset, TagSingleUse, singleUse);
        offset = WriteField(buffer, offset, TagRedaction, link.Redaction);
        if (regions is not null)
        {
            buffer[offset] = TagRedactionRegions;
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset + 1), (ushort)regions.Length);
            regions.CopyTo(buffer.AsSpan(offset + 3));
        }

        return buffer;
    }

    /// <summary>Reads a payload; <see langword="null"/> when it is not one this version wrote.</summary>
    public static SealedLink? Decode(ReadOnlySpan<byte> payload, DateTimeOffset expires)
    {
        if (payload.Length < HeaderLength || payload[0] != Version)
        {
            return null;
        }

        var linkId = Base64Url.EncodeToString(payload.Slice(1, LinkIdLength));
        var issuedMs = BinaryPrimitives.ReadInt64BigEndian(payload.Slice(1 + LinkIdLength));
        if (issuedMs < 0 || issuedMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return null;
        }

        string? path = null, userId = null, downloadFileName = null, watermarkText = null, singleUse = null, redaction = null;
        RedactionRegion[]? regions = null;
        var rest = payload[HeaderLength..];
        while (!rest.IsEmpty)
        {
            if (rest.Length < 3)
            {
                return null;
            }

            var tag = rest[0];
            int length = BinaryPrimitives.ReadUInt16BigEndian(rest[1..]);
            if (rest.Length < 3 + length)
            {
                return null;
            }

            var raw = rest.Slice(3, length);
            rest = rest[(3 + length)..];
            if (tag == TagRedactionRegions)
            {
                if (regions is not null || (regions = DecodeRegions(raw)) is null)
                {
                    return null;
                }

                continue;
            }

            var value = Encoding.UTF8.GetString(raw);
            switch (tag)
            {
                case TagPath when path is null: path = value; break;
                case TagUserId when userId is null: userId = value; break;
                case TagDownloadFileName when downloadFileName is null: downloadFileName = value; break;
                case TagWatermarkText when watermarkText is null: watermarkText = value; break;
                case TagSingleUse when singleUse is null && length == 0: singleUse = value; break;
                case TagRedaction when redaction is null: redaction = value; break;
                default: return null;
            }
        }

        return path is null ? null : new SealedLink
        {
            Path = path,
            LinkId = linkId,
            IssuedAt = DateTimeOffset.FromUnixTimeMilliseconds(issuedMs),
            Expires = expires,
            UserId = userId,
            DownloadFileName = downloadFileName,
            WatermarkText = watermarkText,
            SingleUse = singleUse is not null,
            Redaction = redaction,
            RedactionRegions = regions,
        };
    }

    /// <summary>
    /// The regions as the server will apply them: edges rounded outward to 1/65535, so a sealed region never
    /// masks less than was asked for.
    /// </summary>
    internal static byte[] EncodeRegions(IReadOnlyList<RedactionRegion> regions)
    {
        if (regions.Count > MaxRedactionRegions)
        {
            throw new ArgumentException($"At most {MaxRedactionRegions} redaction regions can be sealed in a link.");
        }

        var bytes = new byte[regions.Count * RegionLength];
        for (var i = 0; i < regions.Count; i++)
        {
            var region = regions[i];
            var span = bytes.AsSpan(i * RegionLength);
            BinaryPrimitives.WriteUInt16BigEndian(span, Down(region.X));
            BinaryPrimitives.WriteUInt16BigEndian(span[2..], Down(region.Y));
            BinaryPrimitives.WriteUInt16BigEndian(span[4..], Up(region.X + region.Width));
            BinaryPrimitives.WriteUInt16BigEndian(span[6..], Up(region.Y + region.Height));
            span[8] = (byte)region.Style;
        }

        return bytes;

        static ushort Down(double value) => (ushort)Math.Clamp(Math.Floor(value * ushort.MaxValue), 0, ushort.MaxValue);

        static ushort Up(double value) => (ushort)Math.Clamp(Math.Ceiling(value * ushort.MaxValue), 0, ushort.MaxValue);
    }

    private static RedactionRegion[]? DecodeRegions(ReadOnlySpan<byte> raw)
    {
        if (raw.Length == 0 || raw.Length % RegionLength != 0 || raw.Length / RegionLength > MaxRedactionRegions)
        {
            return null;
        }

        var regions = new RedactionRegion[raw.Length / RegionLength];
        for (var i = 0; i < regions.Length; i++)
        {
            var span = raw.Slice(i * RegionLength, RegionLength);
            double x0 = BinaryPrimitives.ReadUInt16BigEndian(span), y0 = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
            double x1 = BinaryPrimitives.ReadUInt16BigEndian(span[4..]), y1 = BinaryPrimitives.ReadUInt16BigEndian(span[6..]);
            if (x1 <= x0 || y1 <= y0 || span[8] > (byte)RedactionStyle.Pixelate)
            {
                return null;
            }

            regions[i] = new RedactionRegion(
                x0 / ushort.MaxValue, y0 / ushort.MaxValue, (x1 - x0) / ushort.MaxValue, (y1 - y0) / ushort.MaxValue, (RedactionStyle)span[8]);
        }

        return regions;
    }

    private static int FieldLength(string? value) => value is null ? 0 : 3 + Encoding.UTF8.GetByteCount(value);

    private static int WriteField(byte[] buffer, int offset, byte tag, string? value)
    {
        if (value is null)
        {
            return offset;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException("A value sealed in a link must be shorter than 64 KiB.");
        }

        buffer[offset] = tag;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset + 1), (ushort)length);
        Encoding.UTF8.GetBytes(value, buffer.AsSpan(offset + 3));
        return offset + 3 + length;
    }
}
