namespace SignedStaticFiles;

/// <summary>
/// A rectangle of an image to mask, in fractions (0 to 1) of the upright image (after the EXIF orientation
/// is applied), so that one region fits every size of the same document.
/// </summary>
public sealed class RedactionRegion
{
    /// <summary>Creates a region.</summary>
    /// <param name="x">Left edge, 0 to 1 of the width.</param>
    /// <param name="y">Top edge, 0 to 1 of the height.</param>
    /// <param name="width">Width, greater than 0, with <paramref name="x"/> + width at most 1.</param>
    /// <param name="height">Height, greater than 0, with <paramref name="y"/> + height at most 1.</param>
    /// <param name="style">How the region is masked. Default <see cref="RedactionStyle.Fill"/>.</param>
    public RedactionRegion(double x, double y, double width, double height, RedactionStyle style = RedactionStyle.Fill)
    {
        X = x;
        Y = y;
        Width = width;
        Height = height;
        Style = style;
    }

    /// <summary>Creates an empty region (for configuration binding).</summary>
    public RedactionRegion()
    {
    }

    /// <summary>Left edge, a fraction 0 to 1 of the upright image's width.</summary>
    public double X { get; init; }

    /// <summary>Top edge, a fraction 0 to 1 of the upright image's height.</summary>
    public double Y { get; init; }

    /// <summary>Width, a fraction greater than 0; <see cref="X"/> + <see cref="Width"/> is at most 1.</summary>
    public double Width { get; init; }

    /// <summary>Height, a fraction greater than 0; <see cref="Y"/> + <see cref="Height"/> is at most 1.</summary>
    public double Height { get; init; }

    /// <summary>How the region is masked. Default <see cref="RedactionStyle.Fill"/>.</summary>
    public RedactionStyle Style { get; init; }

    /// <summary>Whether the region lies within the image and is not empty (NaN and infinities are invalid).</summary>
    public bool IsValid =>
        double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Width) && double.IsFinite(Height)
        && X >= 0 && Y >= 0 && Width > 0 && Height > 0 && X + Width <= 1 && Y + Height <= 1
        && Enum.IsDefined(Style);
}
