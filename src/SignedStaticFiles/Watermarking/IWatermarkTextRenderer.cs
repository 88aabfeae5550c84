using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles;

/// <summary>
/// Rasterises one line of watermark text. The default renderer draws DejaVu Sans from a glyph atlas
/// embedded in the package (Latin-1, Latin Extended-A, common punctuation; any other character is drawn as
/// the replacement glyph U+FFFD). Register another implementation before <c>AddSignedStaticFiles</c> (or
/// replace the registration) to use another font or script.
/// </summary>
/// <remarks>
/// Called from the bounded watermark pipeline, concurrently: implementations must be thread-safe. The
/// pipeline adds the contrast halo, the opacity, the rotation and the tiling itself.
/// </remarks>
public interface IWatermarkTextRenderer
{
    /// <summary>
    /// Draws <paramref name="text"/> on one line as coverage (0 transparent, 255 fully covered), with
    /// the line box (ascent plus descent) <paramref name="lineHeight"/> pixels tall and vertically centred
    /// in the returned image. The caller disposes the image.
    /// </summary>
    /// <param name="text">The text, already expanded from its template; not empty.</param>
    /// <param name="lineHeight">The height of the line box in pixels, at least 1.</param>
    /// <returns>A coverage mask at least <paramref name="lineHeight"/> pixels tall.</returns>
    Image<L8> Render(string text, int lineHeight);
}
