using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SignedStaticFiles.Watermarking;

/// <summary>
/// The default <see cref="IWatermarkTextRenderer"/>: DejaVu Sans from the embedded 80 px coverage atlas,
/// laid out at atlas scale, then resampled to the requested height: area-averaged (box filter) when
/// shrinking, which is nearly always (watermark lines are 10 to 80 px tall on common photos), bicubic when
/// enlarging.
/// </summary>
internal sealed class GlyphAtlasTextRenderer : IWatermarkTextRenderer
{
    private const int Margin = 4;
    private static readonly Lazy<GlyphAtlas> DefaultAtlas = new(() => GlyphAtlas.LoadEmbedded());
    private readonly GlyphAtlas _atlas;

    public GlyphAtlasTextRenderer()
        : this(DefaultAtlas.Value)
    {
    }

    internal GlyphAtlasTextRenderer(GlyphAtlas atlas) => _atlas = atlas;

    public Image<L8> Render(string text, int lineHeight)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(lineHeight, 1);

        var mask = _atlas.Draw(text, Margin, out var width, out var height);
        var image = Image.LoadPixelData<L8>(mask, width, height);
        if (lineHeight != _atlas.LineHeight)
        {
            var scale = (double)lineHeight / _atlas.LineHeight;
            var targetWidth = Math.Max(1, (int)Math.Ceiling(width * scale));
            var targetHeight = Math.Max(lineHeight, (int)Math.Ceiling(height * scale));
            image.Mutate(x => x.Resize(targetWidth, targetHeight, scale < 1 ? KnownResamplers.Box : KnownResamplers.Bicubic));
        }

        return image;
    }
}
