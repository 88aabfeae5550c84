using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SignedStaticFiles.Watermarking;

/// <summary>
/// The periodic pattern stamped over an image: a rectangular cell whose diagonal carries the text, drawn
/// twice (the second line half a cell over) and wrapped around the cell's edges, so that the repeated cell
/// forms continuous diagonal lines over the whole picture — a crop keeps several copies. Light text with a
/// dark halo, both at the configured opacity, reads on light and dark regions. Stored premultiplied.
/// </summary>
internal sealed class WatermarkStamp
{
    /// <summary>The angle of the text lines above the horizontal, before snapping to the cell's diagonal.</summary>
    private const double Angle = 30 * Math.PI / 180;

    private readonly Rgba32[] _cell; // premultiplied alpha

    private WatermarkStamp(Rgba32[] cell, int width, int height)
    {
        _cell = cell;
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The line height used for an image of the given size: about 1/26 of its shorter side.</summary>
    public static int LineHeightFor(int width, int height) => Math.Clamp(Math.Min(width, height) / 26, 10, 400);

    public static WatermarkStamp Create(IWatermarkTextRenderer renderer, string text, int lineHeight, float opacity, Image<Rgba32>? overlay)
    {
        using var line = BuildLine(renderer, text, lineHeight);

        // The copies along one line are one cell diagonal apart: the text plus a gap, and never so short
        // that neighbouring lines crowd (their spacing is about a fifth of the diagonal).
        var diagonal = Math.Max(line.Width + (3.0 * lineHeight), 12.0 * lineHeight);
        var cellWidth = Math.Max(8, (int)Math.Round(diagonal * Math.Cos(Angle)));
        var cellHeight = Math.Max(8, (int)Math.Round(diagonal * Math.Sin(Angle)));
        var degrees = (float)(Math.Atan2(cellHeight, cellWidth) * 180 / Math.PI);

        // Rotate(-θ) turns the line counter-clockwise on screen: it rises to the right, along the diagonal.
        line.Mutate(x => x.Rotate(-degrees, KnownResamplers.Bicubic));

        var cell = new Rgba32[cellWidth * cellHeight];
        DrawWrapped(cell, cellWidth, cellHeight, line, cellWidth / 2, cellHeight / 2);
        DrawWrapped(cell, cellWidth, cellHeight, line, 0, cellHeight / 2);
        if (overlay is not null)
        {
            // Midway between the two text lines, within the free band (a fifth of the diagonal wide).
            var size = Math.Max(4, (int)(diagonal * 0.13));
            using var logo = overlay.Clone(x => x.Resize(new ResizeOptions { Size = new Size(size, size), Mode = ResizeMode.Max }));
            DrawWrapped(cell, cellWidth, cellHeight, logo, cellWidth / 4, cellHeight / 2);
            DrawWrapped(cell, cellWidth, cellHeight, logo, 3 * cellWidth / 4, cellHeight / 2);
        }

        var scale = (int)Math.Round(Math.Clamp(opacity, 0f, 1f) * 256);
        for (var i = 0; i < cell.Length; i++)
        {
            ref var p = ref cell[i];
            p = new Rgba32((byte)((p.R * scale) >> 8), (byte)((p.G * scale) >> 8), (byte)((p.B * scale) >> 8), (byte)((p.A * scale) >> 8));
        }

        return new WatermarkStamp(cell, cellWidth, cellHeight);
    }

    /// <summary>Composites the pattern over every pixel of <paramref name="image"/> (source-over).</summary>
    public void ApplyTo(Image<Rgba32> image)
    {
        var cell = _cell;
        var cellWidth = Width;
        var cellHeight = Height;
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                var cellRow = cell.AsSpan((y % cellHeight) * cellWidth, cellWidth);
                var cx = 0;
                for (var x = 0; x < row.Length; x++)
                {
                    var s = cellRow[cx];
                    if (++cx == cellWidth)
                    {
                        cx = 0;
                    }

                    if (s.A == 0)
                    {
                        continue;
                    }

                    ref var d = ref row[x];
                    var inverse = 255 - s.A;
                    if (d.A == 255)
                    {
                        d.R = (byte)(s.R + (((d.R * inverse) + 127) / 255));
                        d.G = (byte)(s.G + (((d.G * inverse) + 127) / 255));
                        d.B = (byte)(s.B + (((d.B * inverse) + 127) / 255));
                    }
                    else
                    {
                        // Straight-alpha destination (PNG, WebP with transparency): source-over,
                        // αo = αs + αd(1 − αs), Co = (Cs·αs + Cd·αd(1 − αs)) / αo.
                        var dstWeight = d.A * inverse / (255f * 255f);
                        var alpha = (s.A / 255f) + dstWeight;
                        d.R = (byte)Math.Min(255f, ((s.R + (d.R * dstWeight)) / alpha) + 0.5f);
                        d.G = (byte)Math.Min(255f, ((s.G + (d.G * dstWeight)) / alpha) + 0.5f);
                        d.B = (byte)Math.Min(255f, ((s.B + (d.B * dstWeight)) / alpha) + 0.5f);
                        d.A = (byte)Math.Min(255f, (alpha * 255f) + 0.5f);
                    }
                }
            }
        });
    }

    /// <summary>The text line as premultiplied RGBA: white text over a black halo, padded for rotation.</summary>
    private static Image<Rgba32> BuildLine(IWatermarkTextRenderer renderer, string text, int lineHeight)
    {
        using var mask = renderer.Render(text, lineHeight);
        var radius = Math.Max(1, (int)Math.Round(lineHeight * 0.07));
        var pad = radius + 2;
        var width = mask.Width + (2 * pad);
        var height = mask.Height + (2 * pad);
        var coverage = new byte[width * height];
        mask.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                var source = accessor.GetRowSpan(y);
                var target = coverage.AsSpan(((y + pad) * width) + pad, source.Length);
                for (var x = 0; x < source.Length; x++)
                {
                    target[x] = source[x].PackedValue;
                }
            }
        });

        var halo = Soften(Dilate(coverage, width, height, radius), width, height);
        var line = new Image<Rgba32>(width, height);
        line.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < height; y++)
            {
                var row = accessor.GetRowSpan(y);
                for (var x = 0; x < width; x++)
                {
                    int text = coverage[(y * width) + x];
                    int ring = halo[(y * width) + x];

                    // White text over black halo, premultiplied: colour = text, alpha = text + halo·(1 − text).
                    var alpha = text + ((ring * (255 - text)) / 255);
                    row[x] = new Rgba32((byte)text, (byte)text, (byte)text, (byte)alpha);
                }
            }
        });

        // ImageSharp's transforms expect straight alpha: unpremultiply, rotate, premultiply again.
        Unpremultiply(line);
        return line;
    }

    private static void DrawWrapped(Rgba32[] cell, int cellWidth, int cellHeight, Image<Rgba32> sprite, int centerX, int centerY)
    {
        using var premultiplied = sprite.Clone();
        Premultiply(premultiplied);
        var left = centerX - (sprite.Width / 2);
        var top = centerY - (sprite.Height / 2);
        premultiplied.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                var cy = Mod(top + y, cellHeight);
                for (var x = 0; x < row.Length; x++)
                {
                    var s = row[x];
                    if (s.A == 0)
                    {
                        continue;
                    }

                    ref var d = ref cell[(cy * cellWidth) + Mod(left + x, cellWidth)];
                    var inverse = 255 - s.A;
                    d = new Rgba32(
                        (byte)(s.R + ((d.R * inverse) / 255)),
                        (byte)(s.G + ((d.G * inverse) / 255)),
                        (byte)(s.B + ((d.B * inverse) / 255)),
                        (byte)(s.A + ((d.A * inverse) / 255)));
                }
            }
        });
    }

    private static int Mod(int value, int modulus)
    {
        var r = value % modulus;
        return r < 0 ? r + modulus : r;
    }

    private static void Premultiply(Image<Rgba32> image) =>
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                foreach (ref var p in accessor.GetRowSpan(y))
                {
                    p = new Rgba32((byte)((p.R * p.A) / 255), (byte)((p.G * p.A) / 255), (byte)((p.B * p.A) / 255), p.A);
                }
            }
        });

    private static void Unpremultiply(Image<Rgba32> image) =>
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                foreach (ref var p in accessor.GetRowSpan(y))
                {
                    if (p.A is not 0 and not 255)
                    {
                        p = new Rgba32(
                            (byte)Math.Min(255, ((p.R * 255) + (p.A / 2)) / p.A),
                            (byte)Math.Min(255, ((p.G * 255) + (p.A / 2)) / p.A),
                            (byte)Math.Min(255, ((p.B * 255) + (p.A / 2)) / p.A),
                            p.A);
                    }
                }
            }
        });

    /// <summary>Separable max filter (a square structuring element of side 2r+1).</summary>
    private static byte[] Dilate(byte[] source, int width, int height, int radius)
    {
        var horizontal = new byte[source.Length];
        for (var y = 0; y < height; y++)
        {
            var row = source.AsSpan(y * width, width);
            for (var x = 0; x < width; x++)
            {
                var from = Math.Max(0, x - radius);
                var to = Math.Min(width - 1, x + radius);
                horizontal[(y * width) + x] = Max(row[from..(to + 1)]);
            }
        }

        var result = new byte[source.Length];
        for (var x = 0; x < width; x++)
        {
            for (var y = 0; y < height; y++)
            {
                byte max = 0;
                var from = Math.Max(0, y - radius);
                var to = Math.Min(height - 1, y + radius);
                for (var k = from; k <= to; k++)
                {
                    max = Math.Max(max, horizontal[(k * width) + x]);
                }

                result[(y * width) + x] = max;
            }
        }

        return result;
    }

    private static byte Max(ReadOnlySpan<byte> span)
    {
        byte max = 0;
        foreach (var b in span)
        {
            max = Math.Max(max, b);
        }

        return max;
    }

    /// <summary>3×3 box blur, so the halo fades instead of ending on a hard square edge.</summary>
    private static byte[] Soften(byte[] source, int width, int height)
    {
        var result = new byte[source.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                int sum = 0, count = 0;
                for (var dy = -1; dy <= 1; dy++)
                {
                    var yy = y + dy;
                    if ((uint)yy >= (uint)height)
                    {
                        continue;
                    }

                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var xx = x + dx;
                        if ((uint)xx < (uint)width)
                        {
                            sum += source[(yy * width) + xx];
                            count++;
                        }
                    }
                }

                result[(y * width) + x] = (byte)(sum / count);
            }
        }

        return result;
    }
}
