using System.Text;
using SignedStaticFiles.ImageSharp.Tests.Watermarking;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Tests.Content;

/// <summary>
/// Files a browser could render as an image (or a document that carries one), made in code. Each starts
/// as its real format does; the engine must not need to recognise any of them to refuse them.
/// </summary>
internal static class Specimens
{
    public static byte[] Create(string kind) => kind switch
    {
        "bmp" => Encode(i => i.SaveAsBmp),
        "gif" => TestImages.Gif(),
        "tiff" => TestImages.Tiff(),
        "tga" => Encode(i => i.SaveAsTga),
        "ico" => Icon(type: 1),
        "cur" => Icon(type: 2),
        "svg" => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\"><text x=\"10\" y=\"50\">ID 123456</text></svg>"),
        "svg-no-xml-prolog-bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("<svg xmlns='http://www.w3.org/2000/svg'/>")],
        "html-with-data-image" => Encoding.UTF8.GetBytes("<html><body><img src=\"data:image/png;base64," + Convert.ToBase64String(TestImages.Png(TestImages.Flat(8, 8))) + "\"></body></html>"),
        "avif" => Box("ftyp", "avif\0\0\0\0avifmif1miaf"u8.ToArray()),
        "heic" => Box("ftyp", "heic\0\0\0\0mif1heic"u8.ToArray()),
        "jxl-codestream" => [0xFF, 0x0A, 0xFA, 0x7F, 0x01, 0x90, 0x08, .. Noise(200)],
        "jxl-container" => [0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ', 0x0D, 0x0A, 0x87, 0x0A, .. Noise(200)],
        "jp2" => [0, 0, 0, 0x0C, (byte)'j', (byte)'P', (byte)' ', (byte)' ', 0x0D, 0x0A, 0x87, 0x0A, .. Box("ftyp", "jp2 \0\0\0\0jp2 "u8.ToArray()), .. Noise(200)],
        "j2k" => [0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x2F, .. Noise(200)],
        "psd" => [.. "8BPS"u8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 64, 0, 0, 0, 64, 0, 8, 0, 3, .. Noise(200)],
        "pdf-with-jpeg" => PdfWithJpeg(),
        "webp-animated" => AnimatedWebp(),
        "xbm" => Encoding.ASCII.GetBytes("#define id_width 8\n#define id_height 2\nstatic char id_bits[] = { 0xff, 0x81 };\n"),
        "ppm-ascii" => Encoding.ASCII.GetBytes("P3\n2 1\n255\n255 0 0 0 0 255\n"),
        "utf16-text" => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("plain notes")).ToArray(),
        "binary" => Noise(4096),
        "empty" => [],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static byte[] Encode(Func<Image<Rgba32>, Action<Stream>> save)
    {
        using var image = TestImages.Field(64, 48);
        using var stream = new MemoryStream();
        save(image)(stream);
        return stream.ToArray();
    }

    private static byte[] Icon(ushort type)
    {
        // ICONDIR + one ICONDIRENTRY pointing at an embedded PNG (as modern .ico/.cur files do).
        var png = TestImages.Png(TestImages.Flat(16, 16, 40));
        var header = new byte[6 + 16];
        header[2] = (byte)type;
        header[4] = 1;
        header[6] = 16;
        header[7] = 16;
        BitConverter.GetBytes(png.Length).CopyTo(header, 14);
        BitConverter.GetBytes(header.Length).CopyTo(header, 18);
        return [.. header, .. png];
    }

    private static byte[] Box(string type, byte[] payload)
    {
        var size = 8 + payload.Length;
        return [(byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size, .. Encoding.ASCII.GetBytes(type), .. payload, .. Noise(64)];
    }

    private static byte[] PdfWithJpeg()
    {
        var jpeg = TestImages.Jpeg(64, 48);
        var head = Encoding.ASCII.GetBytes(
            "%PDF-1.4\n1 0 obj\n<< /Type /XObject /Subtype /Image /Width 64 /Height 48 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length "
            + jpeg.Length + " >>\nstream\n");
        var tail = Encoding.ASCII.GetBytes("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
        return [.. head, .. jpeg, .. tail];
    }

    private static byte[] AnimatedWebp()
    {
        // RIFF/WEBP with a VP8X chunk whose animation flag is set, then an ANIM chunk.
        byte[] vp8x = [.. "VP8X"u8, 10, 0, 0, 0, 0x02, 0, 0, 0, 15, 0, 0, 15, 0, 0];
        byte[] anim = [.. "ANIM"u8, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var body = (byte[])[.. "WEBP"u8, .. vp8x, .. anim];
        return [.. "RIFF"u8, .. BitConverter.GetBytes(body.Length), .. body];
    }

    private static byte[] Noise(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
