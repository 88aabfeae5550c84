using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Engine;

/// <summary>
/// One step of a variant (orient, redact, stamp, strip metadata). A step both describes itself — its
/// description is part of the variant's cache key and ETag — and applies itself, so a new step cannot be
/// added without changing what identifies the variant.
/// </summary>
internal interface IVariantStep
{
    /// <summary>Appends everything that changes this step's output, in a canonical form.</summary>
    void Describe(StringBuilder description);

    /// <summary>Applies the step to the decoded, upright-so-far image; <paramref name="source"/> is the encoded file.</summary>
    void Apply<TPixel>(Image<TPixel> image, ReadOnlySpan<byte> source)
        where TPixel : unmanaged, IPixel<TPixel>;
}
