using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SignedStaticFiles.Signing;

/// <summary>
/// The plaintext layout of a token, before DataProtection encrypts and authenticates it:
/// <c>version(1) linkId(12) { tag(1) length(2, big-endian) utf8(length) }*</c>. The expiry is not here:
/// it travels in the time-limited protector's own header.
/// </summary>
/// <remarks>
/// Unknown tags make the payload invalid on purpose: a token minted by a newer node with a feature this
/// node does not know (a watermark, say) must be refused, never served without that feature.
/// </remarks>
internal static class SignedLinkCodec
{
    internal const byte Version = 1;
    internal const int LinkIdLength = 12;
    private const int HeaderLength = 1 + LinkIdLength;

    private const byte TagPath = 1;
    private const byte TagUserId = 2;
    private const byte TagDownloadFileName = 3;
    private const byte TagWatermarkText = 4;
    private const byte TagSingleUse = 5;

    /// <summary>A new random link id: 96 bits, base64url (16 characters).</summary>
    public static string NewLinkId()
    {
        Span<byte> id = stackalloc byte[LinkIdLength];
        RandomNumberGenerator.Fill(id);
        return Base64Url.EncodeToString(id);
    }

    public static byte[] Encode(SignedLink link)
    {
        var singleUse = link.SingleUse ? string.Empty : null;
        var length = HeaderLength + FieldLength(link.Path) + FieldLength(link.UserId) + FieldLength(link.DownloadFileName)
            + FieldLength(link.WatermarkText) + FieldLength(singleUse);
        var buffer = new byte[length];
        buffer[0] = Version;
        if (Base64Url.DecodeFromChars(link.LinkId, buffer.AsSpan(1, LinkIdLength)) != LinkIdLength)
        {
            throw new ArgumentException("The link id must be 12 bytes in base64url.", nameof(link));
        }

        var offset = HeaderLength;
        offset = WriteField(buffer, offset, TagPath, link.Path);
        offset = WriteField(buffer, offset, TagUserId, link.UserId);
        offset = WriteField(buffer, offset, TagDownloadFileName, link.DownloadFileName);
        offset = WriteField(buffer, offset, TagWatermarkText, link.WatermarkText);
        WriteField(buffer, offset, TagSingleUse, singleUse);
        return buffer;
    }

    /// <summary>Reads a payload; <see langword="null"/> when it is not one this version wrote.</summary>
    public static SignedLink? Decode(ReadOnlySpan<byte> payload, DateTimeOffset expires)
    {
        if (payload.Length < HeaderLength || payload[0] != Version)
        {
            return null;
        }

        var linkId = Base64Url.EncodeToString(payload.Slice(1, LinkIdLength));
        string? path = null, userId = null, downloadFileName = null, watermarkText = null, singleUse = null;
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

            var value = Encoding.UTF8.GetString(rest.Slice(3, length));
            rest = rest[(3 + length)..];
            switch (tag)
            {
                case TagPath when path is null: path = value; break;
                case TagUserId when userId is null: userId = value; break;
                case TagDownloadFileName when downloadFileName is null: downloadFileName = value; break;
                case TagWatermarkText when watermarkText is null: watermarkText = value; break;
                case TagSingleUse when singleUse is null && length == 0: singleUse = value; break;
                default: return null;
            }
        }

        return path is null ? null : new SignedLink
        {
            Path = path,
            LinkId = linkId,
            Expires = expires,
            UserId = userId,
            DownloadFileName = downloadFileName,
            WatermarkText = watermarkText,
            SingleUse = singleUse is not null,
        };
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
