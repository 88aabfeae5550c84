namespace SignedStaticFiles.ImageSharp.Text;

/// <summary>
/// One line of stamp text as 8-bit coverage (0 transparent, 255 fully covered), row-major, owned by this
/// package: the text engine fills it, the stamp reads it; no imaging library's type crosses the seam.
/// Immutable once built (cached and shared between renders).
/// </summary>
internal sealed class TextMask
{
    public TextMask(byte[] coverage, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(coverage.Length, width * height);
        Coverage = coverage;
        Width = width;
        Height = height;
        HasInk = coverage.AsSpan(0, width * height).IndexOfAnyExcept((byte)0) >= 0;
    }

    /// <summary>Width × height coverage values, row-major.</summary>
    public byte[] Coverage { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Whether any pixel is covered at all.</summary>
    public bool HasInk { get; }

    /// <summary>The coverage of row <paramref name="y"/>.</summary>
    public ReadOnlySpan<byte> Row(int y) => Coverage.AsSpan(y * Width, Width);
}
