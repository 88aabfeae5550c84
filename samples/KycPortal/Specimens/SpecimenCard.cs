using SkiaSharp;

namespace KycPortal.Specimens;

/// <summary>
/// Synthetic identity documents for the demo seed, the README's pictures and the tests: an identity card's front
/// and back and a selfie holding the card. Every name, number and date is invented, the portrait is a drawing.
/// Drawn with SkiaSharp and the system's fonts (DejaVu or Noto, through fontconfig), so the text is real text
/// at any size; encoded as JPEG. Self-contained on purpose (SkiaSharp only): test projects compile this file
/// as it is.
/// </summary>
/// <remarks>
/// The document number and the machine-readable zone sit at the same place on both sides
/// (<see cref="DocumentNumberRegion"/>, <see cref="MrzRegion"/>), so one redaction profile masks them on either.
/// </remarks>
public static class SpecimenCard
{
    /// <summary>The card's proportions: ID-1, 85.6 × 54 mm.</summary>
    public const double AspectRatio = 85.6 / 54;

    /// <summary>Where the document number is, on both sides: X, Y, width, height as fractions of the card.</summary>
    public static readonly (double X, double Y, double Width, double Height) DocumentNumberRegion = (0.34, 0.615, 0.32, 0.115);

    /// <summary>Where the machine-readable zone is, on both sides: X, Y, width, height as fractions of the card.</summary>
    public static readonly (double X, double Y, double Width, double Height) MrzRegion = (0.03, 0.80, 0.94, 0.18);

    public const string DocumentNumber = "X00000000";

    private static readonly SKColor Navy = new(22, 58, 110);
    private static readonly SKColor Ink = new(15, 20, 30);
    private static readonly SKColor LabelInk = new(70, 84, 100);
    private static readonly SKColor SpecimenRed = new(190, 20, 30, 200);

    /// <summary>The front: portrait, names, dates, document number, one MRZ line. JPEG, quality 90.</summary>
    public static byte[] Front(int width = 1000) => Draw(width, CardHeight(width), DrawFront);

    /// <summary>The back: address and issue details, card number, a barcode, the three-line MRZ. JPEG, quality 90.</summary>
    public static byte[] Back(int width = 1000) => Draw(width, CardHeight(width), DrawBack);

    /// <summary>A selfie: a drawn person holding the card's front, portrait format (3:4). JPEG, quality 90.</summary>
    public static byte[] Selfie(int width = 600) => Draw(width, width * 4 / 3, DrawSelfie);

    private static int CardHeight(int width) => (int)Math.Round(width / AspectRatio);

    private static byte[] Draw(int width, int height, Action<SKCanvas, float, float> draw)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface.");
        draw(surface.Canvas, width, height);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static void DrawFront(SKCanvas canvas, float width, float height)
    {
        var s = width / 1000f;
        Background(canvas, width, height);
        Fill(canvas, new SKRect(0, 0, width, 96 * s), Navy);
        Text(canvas, "REPUBLIC OF NOWHERE · IDENTITY CARD", 30 * s, 22 * s, 40 * s, SKColors.White, bold: true);

        var photo = new SKRect(40 * s, 130 * s, 310 * s, 480 * s);
        Portrait(canvas, photo);

        var fields = new (string Label, string Value)[]
        {
            ("Surname", "MUSTERFRAU"),
            ("Given names", "ÉLODIE ŁUCJA"),
            ("Date of birth", "01.01.1990"),
            ("Nationality", "NOWHERE"),
            ("Document no.", DocumentNumber),
            ("Expiry", "31.12.2035"),
        };
        var top = 130 * s;
        foreach (var (label, value) in fields)
        {
            Text(canvas, label, 350 * s, top, 22 * s, LabelInk);
            Text(canvas, value, 350 * s, top + (24 * s), 36 * s, Ink, bold: true);
            top += 66 * s;
        }

        Text(canvas, "Sex  F", 700 * s, 130 * s, 26 * s, Ink);
        Signature(canvas, new SKRect(700 * s, 200 * s, 960 * s, 280 * s));
        Stamp(canvas, "SPECIMEN", 650 * s, 455 * s, 52 * s);
        Text(canvas, "IDNWH" + DocumentNumber + "7<<<<<<<<<<<<<<<<<<<<<<<<<", 40 * s, 540 * s, 30 * s, Ink, mono: true);
        Text(canvas, "9001017F3512316NWH<<<<<<<<<<<<<<<<<<<<<<<<4", 40 * s, 578 * s, 30 * s, Ink, mono: true);
    }

    private static void DrawBack(SKCanvas canvas, float width, float height)
    {
        var s = width / 1000f;
        Background(canvas, width, height);
        Fill(canvas, new SKRect(0, 0, width, 60 * s), Navy);
        Text(canvas, "REPUBLIC OF NOWHERE", 30 * s, 14 * s, 30 * s, SKColors.White, bold: true);

        var left = new (string Label, string Value)[]
        {
            ("Address", "12 SAMPLE STREET"),
            ("", "1000 NOWHERE CITY"),
            ("Place of birth", "NOWHERE CITY"),
            ("Height", "170 cm"),
            ("Date of issue", "01.01.2025"),
        };
        var top = 90 * s;
        foreach (var (label, value) in left)
        {
            if (label.Length > 0)
            {
                Text(canvas, label, 40 * s, top, 22 * s, LabelInk);
                top += 24 * s;
            }

            Text(canvas, value, 40 * s, top, 32 * s, Ink, bold: true);
            top += 44 * s;
        }

        Text(canvas, "Issuing authority", 350 * s, 328 * s, 22 * s, LabelInk);
        Text(canvas, "CITY HALL OF NOWHERE", 350 * s, 352 * s, 28 * s, Ink, bold: true);
        Text(canvas, "Card no.", 350 * s, 394 * s, 22 * s, LabelInk);
        Text(canvas, DocumentNumber, 350 * s, 418 * s, 36 * s, Ink, bold: true);
        Barcode(canvas, new SKRect(700 * s, 90 * s, 960 * s, 300 * s));
        Stamp(canvas, "SPECIMEN", 680 * s, 395 * s, 46 * s);

        Text(canvas, "IDNWH" + DocumentNumber + "7<<<<<<<<<<<<<<<", 40 * s, 512 * s, 28 * s, Ink, mono: true);
        Text(canvas, "9001017F3512316NWH<<<<<<<<<<<4", 40 * s, 546 * s, 28 * s, Ink, mono: true);
        Text(canvas, "MUSTERFRAU<<ELODIE<LUCJA<<<<<<", 40 * s, 580 * s, 28 * s, Ink, mono: true);
    }

    private static void DrawSelfie(SKCanvas canvas, float width, float height)
    {
        using (var wall = new SKPaint())
        {
            wall.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, height), [new SKColor(206, 220, 232), new SKColor(150, 170, 196)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, wall);
        }

        var cx = width / 2f;
        Person(canvas, cx, height * 0.36f, width * 0.19f, width, height);

        // The card held up in front of the chest, slightly tilted, as selfies for identity checks are taken.
        using var card = SKImage.FromEncodedData(Front((int)(width * 0.55f)));
        canvas.Save();
        canvas.Translate(width * 0.40f, height * 0.70f);
        canvas.RotateDegrees(-6);
        using (var shadow = new SKPaint { Color = new SKColor(0, 0, 0, 60), IsAntialias = true })
        {
            canvas.DrawRoundRect(new SKRect(6, 8, card.Width + 6, card.Height + 8), 10, 10, shadow);
        }

        canvas.DrawImage(card, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), null);
        canvas.Restore();
        Stamp(canvas, "SPECIMEN", width * 0.06f, height * 0.10f, width * 0.1f);
    }

    private static void Background(SKCanvas canvas, float width, float height)
    {
        using (var paper = new SKPaint())
        {
            paper.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [new SKColor(214, 234, 226), new SKColor(232, 226, 210)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, paper);
        }

        // A guilloche-like security pattern: interfering sine waves, pale.
        using var line = new SKPaint { Color = new SKColor(60, 120, 110, 38), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(1, width / 800) };
        for (var k = 0; k < 34; k++)
        {
            using var builder = new SKPathBuilder();
            var baseline = height * k / 30f;
            for (var x = 0f; x <= width; x += 4)
            {
                var y = baseline + (MathF.Sin((x * 0.012f) + (k * 0.7f)) * height * 0.04f) + (MathF.Sin(x * 0.031f) * height * 0.012f);
                if (x == 0)
                {
                    builder.MoveTo(x, y);
                }
                else
                {
                    builder.LineTo(x, y);
                }
            }

            using var path = builder.Detach();
            canvas.DrawPath(path, line);
        }
    }

    private static void Portrait(SKCanvas canvas, SKRect photo)
    {
        using (var frame = new SKPaint())
        {
            frame.Shader = SKShader.CreateLinearGradient(new SKPoint(0, photo.Top), new SKPoint(0, photo.Bottom), [new SKColor(200, 208, 216), new SKColor(170, 180, 190)], SKShaderTileMode.Clamp);
            canvas.DrawRect(photo, frame);
        }

        canvas.Save();
        canvas.ClipRect(photo);
        Person(canvas, photo.MidX, photo.Top + (photo.Height * 0.40f), photo.Width * 0.24f, photo.Width, photo.Bottom);
        canvas.Restore();
    }

    /// <summary>Head and shoulders: <paramref name="headRadius"/> sets the scale, the shoulders reach <paramref name="bottom"/>.</summary>
    private static void Person(SKCanvas canvas, float cx, float cy, float headRadius, float frameWidth, float bottom)
    {
        using var paint = new SKPaint { IsAntialias = true };
        paint.Color = new SKColor(52, 74, 110);   // jacket
        canvas.DrawOval(new SKRect(cx - (frameWidth * 0.46f), cy + (headRadius * 1.55f), cx + (frameWidth * 0.46f), bottom + (headRadius * 2.2f)), paint);
        paint.Color = new SKColor(226, 188, 160);   // neck and face
        canvas.DrawRect(new SKRect(cx - (headRadius * 0.42f), cy + (headRadius * 0.6f), cx + (headRadius * 0.42f), cy + (headRadius * 1.75f)), paint);
        canvas.DrawOval(new SKRect(cx - headRadius, cy - (headRadius * 1.2f), cx + headRadius, cy + (headRadius * 1.15f)), paint);
        paint.Color = new SKColor(74, 52, 40);   // hair
        using (var builder = new SKPathBuilder())
        {
            builder.AddArc(new SKRect(cx - (headRadius * 1.08f), cy - (headRadius * 1.32f), cx + (headRadius * 1.08f), cy + (headRadius * 0.7f)), 180, 180);
            builder.Close();
            using var hair = builder.Detach();
            canvas.DrawPath(hair, paint);
        }

        paint.Color = new SKColor(40, 40, 48);   // eyes, brows, mouth
        canvas.DrawCircle(cx - (headRadius * 0.38f), cy, headRadius * 0.09f, paint);
        canvas.DrawCircle(cx + (headRadius * 0.38f), cy, headRadius * 0.09f, paint);
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = Math.Max(1, headRadius * 0.06f);
        paint.Color = new SKColor(150, 80, 80);
        canvas.DrawArc(new SKRect(cx - (headRadius * 0.35f), cy + (headRadius * 0.25f), cx + (headRadius * 0.35f), cy + (headRadius * 0.65f)), 20, 140, false, paint);
    }

    private static void Signature(SKCanvas canvas, SKRect area)
    {
        using var pen = new SKPaint { Color = new SKColor(20, 40, 120), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(1.5f, area.Height / 30) };
        using var builder = new SKPathBuilder();
        builder.MoveTo(area.Left, area.MidY);
        for (var i = 1; i <= 24; i++)
        {
            var x = area.Left + (area.Width * i / 24f);
            var y = area.MidY + (MathF.Sin(i * 1.7f) * area.Height * 0.35f);
            builder.QuadTo(x - (area.Width / 48f), area.MidY - (MathF.Cos(i * 1.3f) * area.Height * 0.45f), x, y);
        }

        using var path = builder.Detach();
        canvas.DrawPath(path, pen);
        using var rule = new SKPaint { Color = LabelInk, StrokeWidth = 1 };
        canvas.DrawLine(area.Left, area.Bottom, area.Right, area.Bottom, rule);
    }

    private static void Barcode(SKCanvas canvas, SKRect area)
    {
        using var bar = new SKPaint { Color = Ink };
        var x = area.Left;
        var unit = area.Width / 140f;
        for (var i = 0; x < area.Right; i++)
        {
            var w = unit * (1 + ((i * 7) % 3));
            if (i % 2 == 0)
            {
                canvas.DrawRect(new SKRect(x, area.Top, Math.Min(x + w, area.Right), area.Bottom), bar);
            }

            x += w;
        }
    }

    private static void Stamp(SKCanvas canvas, string text, float x, float y, float size)
    {
        canvas.Save();
        canvas.Translate(x, y);
        canvas.RotateDegrees(-12);
        Text(canvas, text, 0, 0, size, SpecimenRed, bold: true);
        canvas.Restore();
    }

    private static void Fill(SKCanvas canvas, SKRect area, SKColor colour)
    {
        using var paint = new SKPaint { Color = colour };
        canvas.DrawRect(area, paint);
    }

    /// <summary>Draws one line of text whose top is at <paramref name="top"/>, <paramref name="size"/> pixels tall (em).</summary>
    private static void Text(SKCanvas canvas, string text, float left, float top, float size, SKColor colour, bool bold = false, bool mono = false)
    {
        using var font = new SKFont(Typeface(bold, mono), size) { Edging = SKFontEdging.Antialias, Subpixel = true };
        using var paint = new SKPaint { Color = colour, IsAntialias = true };
        canvas.DrawText(text, left, top - font.Metrics.Ascent, SKTextAlign.Left, font, paint);
    }

    private static SKTypeface Typeface(bool bold, bool mono)
    {
        var style = bold ? SKFontStyle.Bold : SKFontStyle.Normal;
        string[] families = mono
            ? ["DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono", "Consolas", "Menlo", "monospace"]
            : ["DejaVu Sans", "Noto Sans", "Liberation Sans", "Segoe UI", "Helvetica Neue", "Arial", "sans-serif"];
        foreach (var family in families)
        {
            if (SKFontManager.Default.MatchFamily(family, style) is { } typeface)
            {
                return typeface;
            }
        }

        return SKTypeface.Default;
    }
}
