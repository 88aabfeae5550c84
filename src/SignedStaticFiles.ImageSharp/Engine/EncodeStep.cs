using System.Globalization;
using System.Buffers;
using System.Text;
using Microsoft.IO;
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

    /// <summary>The encoded image, as an array of exactly its length.</summary>
    /// <param name="image">The pixels.</param>
    /// <param name="buffers">Where the encoder writes: pooled blocks, so that only the result is allocated.</param>
    public byte[] Encode<TPixel>(Image<TPixel> image, RecyclableMemoryStreamManager buffers)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var output = buffers.GetStream("SignedStaticFiles.ImageSharp.Encode");
        image.Save(output, CreateEncoder(image));
        var result = GC.AllocateUninitializedArray<byte>(checked((int)output.Length));
        output.GetReadOnlySequence().CopyTo(result);
        return result;
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
