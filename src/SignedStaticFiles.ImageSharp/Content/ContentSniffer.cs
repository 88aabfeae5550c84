using System.Text;

namespace SignedStaticFiles.ImageSharp.Content;

/// <summary>
/// Classifies a file by its bytes, never by its name: a JPEG called <c>scan.bin</c> is a JPEG, a BMP called
/// <c>notes.txt</c> is not text. Only the three stampable signatures are images the engine works on; the
/// rest is named only for the log (<see cref="Describe"/>) — whether it may leave unstamped is decided by
/// <see cref="NonImageScanner"/>, an allow-list, not by recognising what it is.
/// </summary>
internal static class ContentSniffer
{
    /// <summary>The bytes read before deciding.</summary>
    public const int HeadLength = 64;

    public static ContentKind Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? ContentKind.Jpeg
        : head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) ? ContentKind.Png
        : head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8) ? ContentKind.Webp
        : ContentKind.Other;

    /// <summary>A short name for the log of what a refused file looks like (never its content).</summary>
    public static string Describe(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return "an empty file";
        }

        return head switch
        {
            _ when head.StartsWith("BM"u8) => "BMP",
            _ when head.StartsWith((ReadOnlySpan<byte>)[0, 0, 1, 0]) => "ICO",
            _ when head.StartsWith((ReadOnlySpan<byte>)[0, 0, 2, 0]) => "CUR",
            _ when head.StartsWith("GIF8"u8) => "GIF",
            _ when head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8) || head.StartsWith("II+\0"u8) => "TIFF",
            _ when head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8) => "ISO-BMFF (AVIF/HEIC) " + Encoding.ASCII.GetString(head[8..12]),
            _ when head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]) || head.StartsWith((ReadOnlySpan<byte>)[0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ']) => "JPEG XL",
            _ when head.StartsWith((ReadOnlySpan<byte>)[0, 0, 0, 0x0C, (byte)'j', (byte)'P', (byte)' ', (byte)' ']) || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x4F, 0xFF, 0x51]) => "JPEG 2000",
            _ when head.StartsWith("8BPS"u8) => "PSD",
            _ when head.StartsWith("%PDF"u8) => "PDF",
            _ when head.StartsWith("RIFF"u8) => "RIFF",
            _ when head.IndexOf("<svg"u8) >= 0 || head.IndexOf("<?xml"u8) >= 0 => "SVG/XML",
            _ => "unrecognised content",
        };
    }
}
