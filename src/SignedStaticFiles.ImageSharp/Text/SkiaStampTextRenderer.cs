using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using HarfBuzzSharp;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using SignedStaticFiles.ImageSharp.Diagnostics;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace SignedStaticFiles.ImageSharp.Text;

/// <summary>
/// The stamp's text engine: HarfBuzz shapes (Arabic joining, Indic and Thai clusters, right-to-left runs),
/// Skia rasterises into an 8-bit mask. Fonts: the bundled DejaVu Sans Bold first (its licence ships in the
/// package), then the system's fonts through Skia's font manager (fontconfig on Linux) for characters it
/// lacks — CJK, Devanagari, Thai come from there. A character no font can draw is never drawn as a box: the
/// whole stamp switches to the ASCII fallback text, and a warning is logged once. Only our own text ever
/// reaches this engine; untrusted images are decoded by ImageSharp alone.
/// </summary>
internal sealed class SkiaStampTextRenderer : IStampTextRenderer, IDisposable
{
    private const string BundledFontResource = "SignedStaticFiles.ImageSharp.Fonts.DejaVuSans-Bold.ttf";

    // The rasteriser's own caches: shaped, rasterised lines and font resolutions, bounded in bytes.
    private const long CacheBytes = 32L * 1024 * 1024;

    private static readonly SKFontStyle StampStyle = SKFontStyle.Bold;
    private readonly SKTypeface _primary;
    private readonly SKFontManager _fonts;
    private readonly ConcurrentDictionary<int, SKTypeface?> _fallbacks = new();
    private readonly ConcurrentDictionary<SKTypeface, string> _identities = new();
    private readonly ConcurrentDictionary<SKTypeface, SKFont> _glyphFonts = new();
    private readonly Dictionary<SKTypeface, SKShaper> _shapers = [];
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CacheBytes, CompactionPercentage = 0.25 });
    private readonly Lock _shaping = new();
    private readonly ILogger _logger;
    private readonly float _lineBoxPerSize;   // (descent − ascent) / size of the primary font
    private readonly float _ascentPerSize;    // −ascent / size
    private int _warned;

    public SkiaStampTextRenderer(ILoggerFactory loggerFactory)
    {
        _logger = loggerFactory.CreateLogger("SignedStaticFiles.ImageSharp");
        using (var stream = typeof(SkiaStampTextRenderer).Assembly.GetManifestResourceStream(BundledFontResource)
            ?? throw new InvalidOperationException($"The bundled font {BundledFontResource} is missing from the assembly."))
        {
            _primary = SKTypeface.FromStream(stream) ?? throw new InvalidOperationException("The bundled font cannot be read.");
        }

        _fonts = SKFontManager.Default;
        using var font = new SKFont(_primary, 100);
        font.GetFontMetrics(out var metrics);
        _lineBoxPerSize = (metrics.Descent - metrics.Ascent) / 100f;
        _ascentPerSize = -metrics.Ascent / 100f;
    }

    /// <summary>The bundled font's identity (family, style, glyph count).</summary>
    public string PrimaryFont => Identity(_primary);

    public StampText? Resolve(string text, string? fallback)
    {
        var key = "resolve\n" + text + "\n" + fallback;
        if (_cache.TryGetValue(key, out StampText? cached))
        {
            return cached;
        }

        StampText? resolved;
        if (Layout(text, out var missing) is { } runs)
        {
            resolved = new StampText(text, FontSet(runs), IsFallback: false);
        }
        else
        {
            if (Interlocked.Exchange(ref _warned, 1) == 0)
            {
                // The code point, never the text: the stamp names a person.
                ImageSharpLog.NoFontForCharacter(_logger, "U+" + missing.ToString("X4", CultureInfo.InvariantCulture));
            }

            resolved = fallback is not null && Layout(fallback, out _) is { } fallbackRuns
                ? new StampText(fallback, FontSet(fallbackRuns), IsFallback: true)
                : null;
        }

        _cache.Set(key, resolved, new MemoryCacheEntryOptions { Size = 64 + (2L * key.Length) });
        return resolved;
    }

    public TextMask Render(StampText text, int lineHeight)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(lineHeight, 1);
        var key = string.Create(CultureInfo.InvariantCulture, $"mask\n{lineHeight}\n{text.Text}");
        if (_cache.TryGetValue(key, out TextMask? cached) && cached is not null)
        {
            return cached;
        }

        var mask = Rasterise(text.Text, lineHeight);
        _cache.Set(key, mask, new MemoryCacheEntryOptions { Size = mask.Coverage.Length + 64L });
        return mask;
    }

    public void Dispose()
    {
        _cache.Dispose();
        foreach (var shaper in _shapers.Values)
        {
            shaper.Dispose();
        }

        foreach (var font in _glyphFonts.Values)
        {
            font.Dispose();
        }

        _primary.Dispose();
    }

    private TextMask Rasterise(string text, int lineHeight)
    {
        var runs = Layout(text, out _) ?? throw new InvalidOperationException("The text was not resolved before rendering.");
        var size = lineHeight / _lineBoxPerSize;
        // Room above and below the line box for the taller scripts of fallback fonts (Devanagari, Thai marks).
        var margin = (int)Math.Ceiling(lineHeight * 0.35);
        var height = lineHeight + (2 * margin);
        var baseline = margin + (_ascentPerSize * size);
        var pad = Math.Max(2, lineHeight / 8);

        var shaped = new List<(SKFont Font, ushort[] Glyphs, SKPoint[] Points, float Width)>(runs.Count);
        float width = 0;
        try
        {
            lock (_shaping)
            {
                foreach (var run in runs)
                {
                    using var buffer = new HarfBuzzSharp.Buffer();
                    // The whole line as context, so letters join across font runs (Arabic).
                    buffer.AddUtf16(text, run.Start, run.Length);
                    buffer.Direction = run.RightToLeft ? Direction.RightToLeft : Direction.LeftToRight;
                    buffer.GuessSegmentProperties();
                    var font = new SKFont(run.Typeface, size) { Subpixel = true, Edging = SKFontEdging.Antialias, Hinting = SKFontHinting.None };
                    var result = Shaper(run.Typeface).Shape(buffer, 0, 0, font);
                    var glyphs = new ushort[result.Codepoints.Length];
                    for (var i = 0; i < glyphs.Length; i++)
                    {
                        glyphs[i] = (ushort)result.Codepoints[i];
                    }

                    shaped.Add((font, glyphs, result.Points, result.Width));
                    width += result.Width;
                }
            }

            var maskWidth = Math.Max(1, (int)Math.Ceiling(width) + (2 * pad));
            var info = new SKImageInfo(maskWidth, height, SKColorType.Alpha8, SKAlphaType.Premul);
            var coverage = new byte[maskWidth * height];
            using (var bitmap = new SKBitmap(info))
            {
                bitmap.Erase(SKColors.Transparent);
                using (var canvas = new SKCanvas(bitmap))
                using (var paint = new SKPaint { Color = SKColors.White, IsAntialias = true })
                using (var builder = new SKTextBlobBuilder())
                {
                    float x = pad;
                    foreach (var (font, glyphs, points, advance) in shaped)
                    {
                        if (glyphs.Length > 0)
                        {
                            var run = builder.AllocatePositionedRun(font, glyphs.Length);
                            glyphs.CopyTo(run.Glyphs);
                            var positions = run.Positions;
                            for (var i = 0; i < points.Length; i++)
                            {
                                positions[i] = new SKPoint(points[i].X + x, points[i].Y);
                            }
                        }

                        x += advance;
                    }

                    using var blob = builder.Build();
                    if (blob is not null)
                    {
                        canvas.DrawText(blob, 0, baseline, paint);
                    }

                    canvas.Flush();
                }

                var pixels = bitmap.GetPixelSpan();
                for (var y = 0; y < height; y++)
                {
                    pixels.Slice(y * bitmap.RowBytes, maskWidth).CopyTo(coverage.AsSpan(y * maskWidth, maskWidth));
                }
            }

            return new TextMask(coverage, maskWidth, height);
        }
        finally
        {
            foreach (var run in shaped)
            {
                run.Font.Dispose();
            }
        }
    }

    /// <summary>
    /// The runs of <paramref name="text"/> in visual order, each with one font and one direction; null when
    /// a character has no font (<paramref name="missing"/> says which).
    /// </summary>
    private List<Run>? Layout(string text, out int missing)
    {
        missing = 0;
        var runes = new List<Rune>(text.Length);
        var starts = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                rune = Rune.ReplacementChar; // a lone surrogate: drawn as U+FFFD, which the bundled font has
            }

            runes.Add(rune);
            starts.Add(i);
            i += consumed;
        }

        starts.Add(text.Length);
        var levels = BidiLevels.Compute(runes, out _);
        var faces = new SKTypeface[runes.Count];
        SKTypeface? previous = null;
        for (var i = 0; i < runes.Count; i++)
        {
            var face = FontFor(runes[i], previous);
            if (face is null)
            {
                missing = runes[i].Value;
                return null;
            }

            faces[i] = previous = face;
        }

        // Logical runs of one font and one level.
        var runs = new List<Run>();
        for (var i = 0; i < runes.Count;)
        {
            var end = i + 1;
            while (end < runes.Count && faces[end] == faces[i] && levels[end] == levels[i])
            {
                end++;
            }

            runs.Add(new Run(faces[i], starts[i], starts[end] - starts[i], levels[i]));
            i = end;
        }

        // UAX #9 L2: from the highest level down to the lowest odd one, reverse every sequence at or above it.
        var highest = runs.Count == 0 ? 0 : runs.Max(r => r.Level);
        var lowestOdd = runs.Where(r => (r.Level & 1) == 1).Select(r => (int)r.Level).DefaultIfEmpty(int.MaxValue).Min();
        for (var level = highest; level >= lowestOdd && level > 0; level--)
        {
            for (var i = 0; i < runs.Count;)
            {
                if (runs[i].Level < level)
                {
                    i++;
                    continue;
                }

                var end = i;
                while (end < runs.Count && runs[end].Level >= level)
                {
                    end++;
                }

                runs.Reverse(i, end - i);
                i = end;
            }
        }

        return runs;
    }

    /// <summary>
    /// The font for one character: marks, joiners and other format characters stay with the character
    /// before them; common characters (spaces, punctuation, digits) stay in the font in use when it has them;
    /// otherwise the bundled font, then a system font. Null: no font has it.
    /// </summary>
    private SKTypeface? FontFor(Rune rune, SKTypeface? previous)
    {
        var category = Rune.GetUnicodeCategory(rune);
        if (previous is not null && category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Format)
        {
            return previous;
        }

        if (category is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
        {
            return _primary; // nothing before it to attach to: HarfBuzz hides what the font lacks of these
        }

        var value = rune.Value;
        var common = !Rune.IsLetter(rune);
        if (common && previous is not null && Has(previous, value))
        {
            return previous;
        }

        if (Has(_primary, value))
        {
            return _primary;
        }

        if (previous is not null && previous != _primary && Has(previous, value))
        {
            return previous;
        }

        return _fallbacks.GetOrAdd(value, static (c, self) =>
        {
            var face = self._fonts.MatchCharacter(null, StampStyle, LanguageHint(c), c);
            return face is not null && self.Has(face, c) ? face : null;
        }, this);
    }

    // Han characters are shared by Chinese, Japanese and Korean; a hint picks the right regional forms
    // where the text itself says which (kana, Hangul).
    private static string[] LanguageHint(int c) => c switch
    {
        >= 0x3040 and <= 0x30FF => ["ja"],
        >= 0xAC00 and <= 0xD7AF or >= 0x1100 and <= 0x11FF or >= 0x3130 and <= 0x318F => ["ko"],
        _ => [],
    };

    private bool Has(SKTypeface typeface, int codePoint) =>
        _glyphFonts.GetOrAdd(typeface, static t => new SKFont(t)).ContainsGlyph(codePoint);

    private SKShaper Shaper(SKTypeface typeface)
    {
        if (!_shapers.TryGetValue(typeface, out var shaper))
        {
            _shapers[typeface] = shaper = new SKShaper(typeface);
        }

        return shaper;
    }

    private string FontSet(List<Run> runs) =>
        string.Join(';', runs.Select(r => r.Typeface).Distinct().Select(Identity));

    // Family, style, glyph count, and the 'head' table's checksum adjustment (a checksum of the whole font
    // file): two nodes with different builds of a font never share an ETag.
    private string Identity(SKTypeface typeface) =>
        _identities.GetOrAdd(typeface, static t =>
        {
            var checksum = t.TryGetTableData(0x68656164, out var head) && head is { Length: >= 12 }
                ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(8)).ToString("x8", CultureInfo.InvariantCulture)
                : "-";
            return string.Create(CultureInfo.InvariantCulture,
                $"{t.FamilyName}/{t.FontStyle.Weight}/{t.FontStyle.Width}/{t.FontStyle.Slant}/{t.GlyphCount}/{t.UnitsPerEm}/{checksum}");
        });

    private sealed record Run(SKTypeface Typeface, int Start, int Length, byte Level)
    {
        public bool RightToLeft => (Level & 1) == 1;
    }
}
