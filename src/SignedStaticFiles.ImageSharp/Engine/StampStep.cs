using System.Globalization;
using System.Text;
using SignedStaticFiles.ImageSharp.Imaging;
using SignedStaticFiles.ImageSharp.Stamping;
using SignedStaticFiles.ImageSharp.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Engine;

/// <summary>
/// Tiles the stamp over the whole image (<see cref="WatermarkStamp"/>). Described by the text actually drawn,
/// the fonts that draw it, the opacity and the overlay, so a node with other fonts never shares an ETag.
/// </summary>
internal sealed class StampStep(StampText text, float opacity, IStampTextRenderer renderer, StampOverlay? overlay) : IVariantStep
{
    // Bump when the stamp's geometry or blending changes: old variants must not match new ones.
    private const string Layout = "tiled-30deg-v2";

    public StampText Text { get; } = text;

    public void Describe(StringBuilder description) =>
        description.Append(CultureInfo.InvariantCulture,
            $"stamp({Layout};{Text.Text.Length}:{Text.Text};fonts={Text.FontSet};opacity={opacity:R};overlay={overlay?.Identity ?? "none"})");

    public void Apply<TPixel>(Image<TPixel> image, ReadOnlySpan<byte> source)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var lineHeight = WatermarkStamp.LineHeightFor(image.Width, image.Height);
        var mask = renderer.Render(Text, lineHeight);
        if (!mask.HasInk)
        {
            // Never a "stamped" image that carries nothing.
            throw new ImageRefusedException(SignedFileOutcome.WatermarkFailed, "no_visible_text", "the stamp text draws no visible ink");
        }

        using var stamp = WatermarkStamp.Create(mask, lineHeight, opacity, overlay?.Image);
        stamp.ApplyTo(image);
    }
}
