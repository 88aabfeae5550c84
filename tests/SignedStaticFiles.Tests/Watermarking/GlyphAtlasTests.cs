using SignedStaticFiles.Watermarking;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.Tests.Watermarking;

/// <summary>The embedded DejaVu Sans atlas and the default text renderer.</summary>
public sealed class GlyphAtlasTests
{
    private static readonly GlyphAtlas Atlas = GlyphAtlas.LoadEmbedded();

    public static TheoryData<int, int> Ranges() => new()
    {
        { 0x0020, 0x007E }, // Basic Latin
        { 0x00A0, 0x00FF }, // Latin-1 Supplement
        { 0x0100, 0x017F }, // Latin Extended-A
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Atlas_CoversTheRange(int first, int last)
    {
        var missing = Enumerable.Range(first, last - first + 1).Where(cp => !Atlas.Contains(cp)).ToArray();
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("AV")]
    [InlineData("To")]
    [InlineData("LT")]
    public void Layout_AppliesKerning(string pair)
    {
        Assert.True(InkWidth(pair) < InkWidth(pair[..1]) + InkWidth(pair[1..]) - 2, $"'{pair}' is not kerned");
    }

    [Fact]
    public void Layout_UsesFractionalAdvances_NotOneWidthPerGlyph()
    {
        Assert.True(InkWidth("iiiiiiiiii") < InkWidth("WWWWWWWWWW") / 2);
    }

    [Theory]
    [InlineData("\u4e2d")]        // CJK
    [InlineData("\U0001F600")]    // emoji, a surrogate pair: one glyph
    [InlineData("\u0416")]        // Cyrillic
    public void CharacterOutsideTheAtlas_DrawsTheVisibleReplacementGlyph(string text)
    {
        var drawn = Atlas.Draw(text, 4, out var width, out _);
        var replacement = Atlas.Draw("\ufffd", 4, out var replacementWidth, out _);
        Assert.Equal(replacementWidth, width);
        Assert.Equal(replacement, drawn);
        Assert.Contains(drawn, b => b > 128);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(40)]
    [InlineData(200)]
    public void Renderer_ScalesWithTheLineHeight(int lineHeight)
    {
        var renderer = new GlyphAtlasTextRenderer();
        using var reference = renderer.Render("Scale Ég", Atlas.LineHeight);
        using var scaled = renderer.Render("Scale Ég", lineHeight);

        Assert.InRange(scaled.Height, lineHeight, (lineHeight * 1.15) + 2);
        var expectedWidth = reference.Width * (double)lineHeight / Atlas.LineHeight;
        Assert.InRange(scaled.Width, expectedWidth - 2, expectedWidth + 2);
        Assert.Contains(Pixels(scaled), p => p > 160); // still has solid strokes, not a grey smear
    }

    [Fact]
    public void Renderer_DrawsAccentsAboveTheLetters()
    {
        using var plain = new GlyphAtlasTextRenderer().Render("E", 80);
        using var accented = new GlyphAtlasTextRenderer().Render("\u00c9", 80);
        Assert.True(TopInkRow(accented) < TopInkRow(plain) - 5);
    }

    private static int InkWidth(string text)
    {
        var mask = Atlas.Draw(text, 0, out var width, out var height);
        int left = int.MaxValue, right = -1;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (mask[(y * width) + x] > 64)
                {
                    left = Math.Min(left, x);
                    right = Math.Max(right, x);
                }
            }
        }

        return right - left + 1;
    }

    private static byte[] Pixels(Image<L8> image)
    {
        var pixels = new byte[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    private static int TopInkRow(Image<L8> image)
    {
        var pixels = Pixels(image);
        var index = Array.FindIndex(pixels, p => p > 64);
        return index / image.Width;
    }
}
