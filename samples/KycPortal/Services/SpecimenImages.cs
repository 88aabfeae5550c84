using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace KycPortal.Services;

/// <summary>
/// Draws the synthetic SPECIMEN identity documents of the demo seed: an ID card front and back and a
/// selfie, made of blocks, a silhouette and block letters. No real person's data ships with the sample.
/// ImageSharp 2.x core has no drawing or text, so shapes are filled pixel by pixel and the letters come
/// from the tiny 5 × 7 bitmap font below.
/// </summary>
public static class SpecimenImages
{
    private const int CardWidth = 856;   // ID-1 card proportions (85.6 × 54 mm)
    private const int CardHeight = 540;

    private static readonly Rgb24 Paper = new(226, 236, 244);
    private static readonly Rgb24 Navy = new(28, 52, 96);
    private static readonly Rgb24 Grey = new(150, 160, 172);
    private static readonly Rgb24 DarkGrey = new(92, 100, 112);
    private static readonly Rgb24 Red = new(200, 30, 40);
    private static readonly Rgb24 White = new(255, 255, 255);
    private static readonly Rgb24 Black = new(20, 20, 24);

    public static ProcessedImage IdFront()
    {
        using var image = new Image<Rgb24>(CardWidth, CardHeight, Paper);
        FillRect(image, 0, 0, CardWidth, 90, Navy);
        DrawText(image, "ID FRONT", 40, 24, 6, White);
        FillRect(image, 40, 130, 220, 280, Grey);                    // photo box
        Silhouette(image, 150, 130, 220, 280, DarkGrey);
        for (var line = 0; line < 6; line++)                          // name, date of birth… as bars
        {
            FillRect(image, 300, 140 + (line * 44), line % 2 == 0 ? 240 : 420, 18, line % 2 == 0 ? DarkGrey : Grey);
        }

        DrawText(image, "SPECIMEN", 292, 430, 8, Red);
        return Encode(image);
    }

    public static ProcessedImage IdBack()
    {
        using var image = new Image<Rgb24>(CardWidth, CardHeight, Paper);
        FillRect(image, 0, 40, CardWidth, 70, Black);                 // stripe
        DrawText(image, "ID BACK", 40, 140, 6, Navy);
        for (var line = 0; line < 3; line++)                          // machine-readable zone as blocks
        {
            for (var cell = 0; cell < 30; cell++)
            {
                if ((cell * 7 + line * 3) % 5 != 0)
                {
                    FillRect(image, 40 + (cell * 26), 300 + (line * 40), 18, 26, DarkGrey);
                }
            }
        }

        DrawText(image, "SPECIMEN", 292, 440, 8, Red);
        return Encode(image);
    }

    public static ProcessedImage Selfie()
    {
        using var image = new Image<Rgb24>(600, 800);
        for (var y = 0; y < image.Height; y++)                        // soft vertical gradient
        {
            var shade = (byte)(210 - (y * 60 / image.Height));
            FillRect(image, 0, y, image.Width, 1, new Rgb24(shade, (byte)(shade + 20), 235));
        }

        Silhouette(image, 300, 60, 600, 740, DarkGrey);
        DrawText(image, "SELFIE", 40, 30, 6, Navy);
        DrawText(image, "SPECIMEN", 60, 680, 8, Red);
        return Encode(image);
    }

    private static ProcessedImage Encode(Image<Rgb24> image)
    {
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = 88 });
        return new ProcessedImage(output.ToArray(), ".jpg");
    }

    private static void FillRect(Image<Rgb24> image, int x, int y, int width, int height, Rgb24 color)
    {
        var right = Math.Min(image.Width, x + width);
        var bottom = Math.Min(image.Height, y + height);
        image.ProcessPixelRows(rows =>
        {
            for (var row = Math.Max(0, y); row < bottom; row++)
            {
                rows.GetRowSpan(row)[Math.Max(0, x)..right].Fill(color);
            }
        });
    }

    /// <summary>A head (circle) over shoulders (half ellipse), centred on <paramref name="centreX"/> in the box.</summary>
    private static void Silhouette(Image<Rgb24> image, int centreX, int top, int boxWidth, int boxHeight, Rgb24 color)
    {
        var headRadius = boxHeight / 6;
        var headCentreY = top + (boxHeight * 36 / 100);
        var shoulderTop = top + (boxHeight * 62 / 100);
        var shoulderHalfWidth = boxWidth * 42 / 100;
        var bottom = Math.Min(image.Height, top + boxHeight);
        image.ProcessPixelRows(rows =>
        {
            for (var y = top; y < bottom; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = Math.Max(0, centreX - shoulderHalfWidth); x < Math.Min(image.Width, centreX + shoulderHalfWidth); x++)
                {
                    long dx = x - centreX;
                    long dyHead = y - headCentreY;
                    var inHead = (dx * dx) + (dyHead * dyHead) <= (long)headRadius * headRadius;
                    long dyBody = y - (bottom + (boxHeight / 10));
                    var inBody = y >= shoulderTop
                        && (dx * dx * 1_000 / ((long)shoulderHalfWidth * shoulderHalfWidth))
                           + (dyBody * dyBody * 1_000 / ((long)(bottom - shoulderTop + (boxHeight / 10)) * (bottom - shoulderTop + (boxHeight / 10)))) <= 1_000;
                    if (inHead || inBody)
                    {
                        row[x] = color;
                    }
                }
            }
        });
    }

    private static void DrawText(Image<Rgb24> image, string text, int x, int y, int scale, Rgb24 color)
    {
        foreach (var character in text)
        {
            if (Font.TryGetValue(character, out var glyph))
            {
                for (var row = 0; row < glyph.Length; row++)
                {
                    for (var column = 0; column < glyph[row].Length; column++)
                    {
                        if (glyph[row][column] == '#')
                        {
                            FillRect(image, x + (column * scale), y + (row * scale), scale, scale, color);
                        }
                    }
                }
            }

            x += 6 * scale;
        }
    }

    private static readonly Dictionary<char, string[]> Font = new()
    {
        ['A'] = [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
        ['B'] = ["####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."],
        ['C'] = [".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."],
        ['D'] = ["####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."],
        ['E'] = ["#####", "#....", "#....", "####.", "#....", "#....", "#####"],
        ['F'] = ["#####", "#....", "#....", "####.", "#....", "#....", "#...."],
        ['I'] = ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "#####"],
        ['K'] = ["#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"],
        ['L'] = ["#....", "#....", "#....", "#....", "#....", "#....", "#####"],
        ['M'] = ["#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"],
        ['N'] = ["#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#", "#...#"],
        ['O'] = [".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
        ['P'] = ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."],
        ['R'] = ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"],
        ['S'] = [".####", "#....", "#....", ".###.", "....#", "....#", "####."],
        ['T'] = ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."],
    };
}
