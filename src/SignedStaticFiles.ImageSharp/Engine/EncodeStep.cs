using System.Globalization;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Engine;

/// <summary>The last step: encodes in the source's format (lossless WebP stays lossless), without metadata.</summary>
internal sealed class EncodeStep(IImageFormat format, int quality)
{
    public IImageFormat Format { get; } = format;

    public string ContentType => Format.DefaultMimeType;

    public void Describe(StringBuilder description) =>
        description.Append(CultureInfo.InvariantCulture, $"encode({Format.Name};q={quality})");

    public byte[] Encode<TPixel>(Image<TPixel> image, int sizeHint)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var output = new MemoryStream(capacity: Math.Max(4096, sizeHint + (sizeHint / 4)));
        image.Save(output, CreateEncoder(image));
        return output.ToArray();
    }

    private IImageEncoder CreateEncoder<TPixel>(Image<TPixel> image)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        if (Format == PngFormat.Instance)
        {
            return new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit8 };
        }

        if (Format == WebpFormat.Instance)
        {
            return new WebpEncoder { FileFormat = image.Metadata.GetWebpMetadata().FileFormat, Quality = quality };
        }

        return new JpegEncoder { Quality = quality };
    }
}
