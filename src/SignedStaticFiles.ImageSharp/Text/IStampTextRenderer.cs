namespace SignedStaticFiles.ImageSharp.Text;

/// <summary>
/// Rasterises the package's own stamp text (never an untrusted image) into a <see cref="TextMask"/>. One
/// per application; thread-safe.
/// </summary>
internal interface IStampTextRenderer
{
    /// <summary>
    /// Decides what is drawn: <paramref name="text"/> when every character has a font, else
    /// <paramref name="fallback"/> (logged once); null when neither can be drawn.
    /// </summary>
    StampText? Resolve(string text, string? fallback);

    /// <summary>
    /// One line of <paramref name="text"/> (a <see cref="StampText.Text"/>), the line box (ascent plus descent
    /// of the default font) <paramref name="lineHeight"/> pixels tall and vertically centred in the mask.
    /// </summary>
    TextMask Render(StampText text, int lineHeight);
}
