namespace SignedStaticFiles;

/// <summary>How a <see cref="RedactionRegion"/> is masked.</summary>
public enum RedactionStyle
{
    /// <summary>
    /// An opaque fill (the default). The only style safe for text: blurred or pixelated digits in a known
    /// font can be recovered by trying candidates.
    /// </summary>
    Fill = 0,

    /// <summary>A strong Gaussian blur. Cosmetic: not safe for text (see <see cref="Fill"/>).</summary>
    Blur,

    /// <summary>Large pixel blocks. Cosmetic: not safe for text (see <see cref="Fill"/>).</summary>
    Pixelate,
}
