namespace SignedStaticFiles.ImageSharp.Text;

/// <summary>
/// The text a stamp draws, as the text engine resolved it: the requested text, or the ASCII fallback when a
/// character of it has no font; and the fonts that draw it (part of the variant's description, so two nodes
/// with different fonts never send different bytes under one ETag).
/// </summary>
/// <param name="Text">What is drawn.</param>
/// <param name="FontSet">The fonts that draw it (family, style and glyph count of each, in order of use).</param>
/// <param name="IsFallback">Whether <paramref name="Text"/> is the fallback because the requested text could not be drawn.</param>
internal sealed record StampText(string Text, string FontSet, bool IsFallback);
