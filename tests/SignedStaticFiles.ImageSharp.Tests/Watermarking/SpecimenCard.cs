using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Tests.Watermarking;

/// <summary>
/// A synthetic identity card for the README and the tests: every name, number and date is invented,
/// the portrait is a drawn silhouette. Drawn with plain pixel loops and the package's own text engine.
/// </summary>
internal static class SpecimenCard
{
    public static Image<Rgba32> Draw(int width = 1000, int height = 630)
    {
        var card = new Image<Rgba32>(width, height);
        var s = width / 1000f;
        card.ProcessPixelRows(a =>
        {
            for (var y = 0; y < a.Height; y++)
            {
                var row = a.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    // Pale guilloche-like background: two interfering sine waves over a gradient.
                    var wave = (Math.Sin(x * 0.045) + Math.Sin((y * 0.06) + (x * 0.01))) * 6;
                    row[x] = new Rgba32(
                        (byte)Math.Clamp(214 + wave - (20.0 * y / height), 0, 255),
                        (byte)Math.Clamp(232 + wave - (10.0 * x / width), 0, 255),
                        (byte)Math.Clamp(226 + wave, 0, 255),
                        255);
                }
            }
        });

        Fill(card, new Rectangle(0, 0, width, (int)(96 * s)), new Rgba32(22, 58, 110, 255));
        Text(card, "REPUBLIC OF NOWHERE · IDENTITY CARD", (int)(30 * s), (int)(22 * s), (int)(44 * s), new Rgba32(255, 255, 255, 255));
        Text(card, "SPECIMEN", (int)(680 * s), (int)(440 * s), (int)(60 * s), new Rgba32(190, 20, 30, 255));

        // Portrait: a grey frame, a head and shoulders silhouette.
        var photo = new Rectangle((int)(40 * s), (int)(130 * s), (int)(270 * s), (int)(350 * s));
        Fill(card, photo, new Rgba32(188, 196, 204, 255));
        Silhouette(card, photo);

        var fields = new (string Label, string Value)[]
        {
            ("Surname", "MUSTERFRAU"),
            ("Given names", "ÉLODIE ŁUCJA"),
            ("Date of birth", "01.01.1990"),
            ("Nationality", "NOWHERE"),
            ("Document no.", "X00000000"),
            ("Expiry", "31.12.2035"),
        };
        var top = (int)(130 * s);
        foreach (var (label, value) in fields)
        {
            Text(card, label, (int)(350 * s), top, (int)(24 * s), new Rgba32(70, 84, 100, 255));
            Text(card, value, (int)(350 * s), top + (int)(24 * s), (int)(38 * s), new Rgba32(15, 20, 30, 255));
            top += (int)(66 * s);
        }

        Text(card, "IDNOW<<X00000000<<<<<<<<<<<<<<<<<<<", (int)(40 * s), (int)(560 * s), (int)(30 * s), new Rgba32(30, 30, 30, 255));
        return card;
    }

    private static void Fill(Image<Rgba32> image, Rectangle area, Rgba32 colour) =>
        image.ProcessPixelRows(a =>
        {
            for (var y = Math.Max(0, area.Top); y < Math.Min(a.Height, area.Bottom); y++)
            {
                a.GetRowSpan(y)[Math.Max(0, area.Left)..Math.Min(a.Width, area.Right)].Fill(colour);
            }
        });

    private static void Silhouette(Image<Rgba32> image, Rectangle photo)
    {
        var cx = photo.Left + (photo.Width / 2f);
        var headY = photo.Top + (photo.Height * 0.36f);
        var headR = photo.Width * 0.22f;
        var shoulderY = photo.Top + (photo.Height * 0.98f);
        var colour = new Rgba32(92, 104, 118, 255);
        image.ProcessPixelRows(a =>
        {
            for (var y = photo.Top; y < photo.Bottom; y++)
            {
                var row = a.GetRowSpan(y);
                for (var x = photo.Left; x < photo.Right; x++)
                {
                    var head = ((x - cx) * (x - cx) / (headR * headR)) + ((y - headY) * (y - headY) / (headR * headR * 1.5f)) <= 1;
                    var rx = photo.Width * 0.46f;
                    var ry = photo.Height * 0.34f;
                    var body = ((x - cx) * (x - cx) / (rx * rx)) + ((y - shoulderY) * (y - shoulderY) / (ry * ry)) <= 1;
                    if (head || body)
                    {
                        row[x] = colour;
                    }
                }
            }
        });
    }

    private static void Text(Image<Rgba32> image, string text, int left, int top, int lineHeight, Rgba32 colour)
    {
        var renderer = SignedStaticFiles.ImageSharp.Tests.Infrastructure.EngineHarness.Renderer;
        var mask = renderer.Render(renderer.Resolve(text, null)!, lineHeight);
        for (var y = 0; y < mask.Height && top + y < image.Height; y++)
        {
            for (var x = 0; x < mask.Width && left + x < image.Width; x++)
            {
                var coverage = mask.Coverage[(y * mask.Width) + x];
                if (coverage == 0)
                {
                    continue;
                }

                var d = image[left + x, top + y];
                image[left + x, top + y] = new Rgba32(
                    (byte)(((colour.R * coverage) + (d.R * (255 - coverage))) / 255),
                    (byte)(((colour.G * coverage) + (d.G * (255 - coverage))) / 255),
                    (byte)(((colour.B * coverage) + (d.B * (255 - coverage))) / 255),
                    255);
            }
        }
    }
}
