using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Engine;

/// <summary>Belt and braces: the decoders ran with metadata off, and nothing of the source's metadata may leave.</summary>
internal sealed class StripMetadataStep : IVariantStep
{
    public static StripMetadataStep Instance { get; } = new();

    public void Describe(StringBuilder description) => description.Append("strip");

    public void Apply<TPixel>(Image<TPixel> image, ReadOnlySpan<byte> source)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var metadata = image.Metadata;
        metadata.ExifProfile = null;
        metadata.IccProfile = null;
        metadata.IptcProfile = null;
        metadata.XmpProfile = null;
        metadata.GetPngMetadata().TextData.Clear();
        foreach (var frame in image.Frames)
        {
            frame.Metadata.ExifProfile = null;
            frame.Metadata.IccProfile = null;
            frame.Metadata.IptcProfile = null;
            frame.Metadata.XmpProfile = null;
        }
    }
}
