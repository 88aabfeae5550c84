using System.Runtime.CompilerServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SignedStaticFiles.Watermarking;

/// <summary>
/// The pattern stamped over an image: parallel text lines rising at 30°, evenly spaced across the whole
/// picture, each line a repetition of the text with a gap, neighbouring lines staggered by half a period —
/// so any crop keeps several copies. Light text with a dark halo, both at the configured opacity, reads on
/// light and dark regions alike. Drawn by inverse mapping: each image pixel finds its position along and
/// across the nearest line and samples the text bitmap bilinearly, so no rotated bitmap is ever built and
/// the cost is one pass over the image.
/// </summary>
internal sealed class WatermarkStamp
{
    private const double Angle = 30 * Math.PI / 180;

    // The text line with its halo, opacity applied, premultiplied: Alpha and Light (the white text's share),
    // padded by one transparent pixel all around so that bilinear sampling needs no bounds checks.
    private readonly float[] _alpha;
    private readonly float[] _light;
    private readonly int _lineWidth;
    private readonly int _lineHeight;
    private readonly float _period;   // along a line: text plus gap
    private readonly float _spacing;  // across lines
    private readonly Image<Rgba32>? _overlay; // premultiplied, opacity applied

    private WatermarkStamp(float[] alpha, float[] light, int lineWidth, int lineHeight, float period, float spacing, Image<Rgba32>? overlay)
    {
        _alpha = alpha;
        _light = light;
        _lineWidth = lineWidth;
        _lineHeight = lineHeight;
        _period = period;
        _spacing = spacing;
        _overlay = overlay;
    }

    /// <summary>The line height used for an image of the given size: about 1/26 of its shorter side.</summary>
    public static int LineHeightFor(int width, int height) => Math.Clamp(Math.Min(width, height) / 26, 10, 400);

    public static WatermarkStamp Create(IWatermarkTextRenderer renderer, string text, int lineHeight, float opacity, Image<Rgba32>? overlay)
    {
        var (alpha, light, width, height) = BuildLine(renderer, text, lineHeight, Math.Clamp(opacity, 0f, 1f));
        var period = width + (3f * lineHeight);
        var spacing = Math.Max(3.5f * lineHeight, height + lineHeight);

        Image<Rgba32>? sprite = null;
        if (overlay is not null)
        {
            // Between two text lines, in the free band.
            var size = Math.Max(4, (int)(spacing - height));
            sprite = overlay.Clone(x => x.Resize(new ResizeOptions { Size = new Size(size, size), Mode = ResizeMode.Max }));
            var scale = Math.Clamp(opacity, 0f, 1f);
            sprite.ProcessPixelRows(accessor =>
            {
                for (var y = 0; y < accessor.Height; y++)
                {
                    foreach (ref var p in accessor.GetRowSpan(y))
                    {
                        var a = p.A * scale / 255f;
                        p = new Rgba32((byte)((p.R * a) + 0.5f), (byte)((p.G * a) + 0.5f), (byte)((p.B * a) + 0.5f), (byte)((a * 255f) + 0.5f));
                    }
                }
            });
        }

        return new WatermarkStamp(alpha, light, width, height, period, spacing, sprite);
    }

    /// <summary>Composites the pattern over every pixel of <paramref name="image"/> (source-over).</summary>
    public void ApplyTo<TPixel>(Image<TPixel> image)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        if (typeof(TPixel) != typeof(Rgba32) && typeof(TPixel) != typeof(Rgb24))
        {
            throw new NotSupportedException($"Stamping {typeof(TPixel).Name} images is not supported.");
        }

        var cos = (float)Math.Cos(Angle);
        var sin = (float)Math.Sin(Angle);
        var halfHeight = (_lineHeight - 2) / 2f;
        var centre = (_lineHeight - 1) / 2f;
        var maxU = _lineWidth - 2;
        var width = image.Width;
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);

                // u runs along the lines (rising to the right on screen), v across them: v = y·cos + x·sin.
                // Only the x intervals of the row that cross a line's band are visited at all.
                var u0 = -y * sin;
                var v0 = y * cos;
                var kFirst = (int)MathF.Ceiling((v0 - halfHeight) / _spacing);
                var kLast = (int)MathF.Floor((v0 + ((width - 1) * sin) + halfHeight) / _spacing);
                for (var k = kFirst; k <= kLast; k++)
                {
                    var xFirst = Math.Max(0, (int)MathF.Ceiling(((k * _spacing) - halfHeight - v0) / sin));
                    var xLast = Math.Min(width - 1, (int)MathF.Floor(((k * _spacing) + halfHeight - v0) / sin));
                    var stagger = k * 0.5f * _period;
                    var along = u0 + (xFirst * cos) - stagger;
                    along -= MathF.Floor(along / _period) * _period;
                    var across = v0 + (xFirst * sin) - (k * _spacing);
                    for (var x = xFirst; x <= xLast; x++, along += cos, across += sin)
                    {
                        if (along >= _period)
                        {
                            along -= _period;
                        }

                        if (along >= maxU || MathF.Abs(across) >= halfHeight)
                        {
                            continue;
                        }

                        Sample(along + 1, across + centre, out var a, out var l);
                        if (a > 0.002f)
                        {
                            if (typeof(TPixel) == typeof(Rgb24))
                            {
                                Blend(ref Unsafe.As<TPixel, Rgb24>(ref row[x]), a, l);
                            }
                            else
                            {
                                Blend(ref Unsafe.As<TPixel, Rgba32>(ref row[x]), a, l);
                            }
                        }
                    }
                }
            }
        });

        if (_overlay is not null)
        {
            DrawOverlays(image, cos, sin);
        }
    }

    private static void Blend(ref Rgb24 d, float a, float light)
    {
        var keep = 1 - a;
        var add = (light * 255f) + 0.5f;
        d.R = (byte)((d.R * keep) + add);
        d.G = (byte)((d.G * keep) + add);
        d.B = (byte)((d.B * keep) + add);
    }

    private void Sample(float fx, float fy, out float alpha, out float light)
    {
        var x0 = (int)fx;
        var y0 = (int)fy;
        var tx = fx - x0;
        var ty = fy - y0;
        var i = (y0 * _lineWidth) + x0;
        var j = i + _lineWidth;
        var a = _alpha;
        var l = _light;
        alpha = ((a[i] * (1 - tx)) + (a[i + 1] * tx)) * (1 - ty) + (((a[j] * (1 - tx)) + (a[j + 1] * tx)) * ty);
        light = ((l[i] * (1 - tx)) + (l[i + 1] * tx)) * (1 - ty) + (((l[j] * (1 - tx)) + (l[j + 1] * tx)) * ty);
    }

    private static void Blend(ref Rgba32 d, float a, float light)
    {
        var keep = 1 - a;
        var add = light * 255f;
        if (d.A == 255)
        {
            d.R = (byte)((d.R * keep) + add + 0.5f);
            d.G = (byte)((d.G * keep) + add + 0.5f);
            d.B = (byte)((d.B * keep) + add + 0.5f);
            return;
        }

        // Straight-alpha destination (PNG, WebP with transparency): source-over,
        // αo = αs + αd(1 − αs), Co = (Cs·αs + Cd·αd(1 − αs)) / αo.
        var dstWeight = d.A / 255f * keep;
        var alpha = a + dstWeight;
        d.R = (byte)Math.Min(255f, ((add + (d.R * dstWeight)) / alpha) + 0.5f);
        d.G = (byte)Math.Min(255f, ((add + (d.G * dstWeight)) / alpha) + 0.5f);
        d.B = (byte)Math.Min(255f, ((add + (d.B * dstWeight)) / alpha) + 0.5f);
        d.A = (byte)Math.Min(255f, (alpha * 255f) + 0.5f);
    }

    /// <summary>The overlay sprite, unrotated, midway between two lines, opposite the gap between two copies of the text.</summary>
    private void DrawOverlays<TPixel>(Image<TPixel> image, float cos, float sin)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var sprite = _overlay!;
        var reach = _period + _spacing + sprite.Width + sprite.Height + image.Width + image.Height;
        var lines = (int)(reach / _spacing) + 2;
        var copies = (int)(reach / _period) + 2;
        for (var k = -lines; k <= lines; k++)
        {
            for (var c = -copies; c <= copies; c++)
            {
                // Back from (u, v) to (x, y): x = u·cos + v·sin, y = −u·sin + v·cos.
                var v = (k + 0.5f) * _spacing;
                var u = (k * 0.5f * _period) + _lineWidth + ((_period - _lineWidth) / 2f) + (c * _period);
                var cx = (u * cos) + (v * sin);
                var cy = (-u * sin) + (v * cos);
                var left = (int)(cx - (sprite.Width / 2f));
                var top = (int)(cy - (sprite.Height / 2f));
                if (left >= image.Width || top >= image.Height || left + sprite.Width <= 0 || top + sprite.Height <= 0)
                {
                    continue;
                }

                Composite(image, sprite, left, top);
            }
        }
    }

    private static void Composite<TPixel>(Image<TPixel> image, Image<Rgba32> sprite, int left, int top)
        where TPixel : unmanaged, IPixel<TPixel> =>
        image.ProcessPixelRows(sprite, (target, source) =>
        {
            for (var y = Math.Max(0, -top); y < source.Height && top + y < target.Height; y++)
            {
                var from = source.GetRowSpan(y);
                var to = target.GetRowSpan(top + y);
                for (var x = Math.Max(0, -left); x < from.Length && left + x < to.Length; x++)
                {
                    var s = from[x];
                    if (s.A == 0)
                    {
                        continue;
                    }

                    var keep = 1 - (s.A / 255f);
                    if (typeof(TPixel) == typeof(Rgb24))
                    {
                        ref var rgb = ref Unsafe.As<TPixel, Rgb24>(ref to[left + x]);
                        rgb.R = (byte)((rgb.R * keep) + s.R + 0.5f);
                        rgb.G = (byte)((rgb.G * keep) + s.G + 0.5f);
                        rgb.B = (byte)((rgb.B * keep) + s.B + 0.5f);
                        continue;
                    }

                    ref var d = ref Unsafe.As<TPixel, Rgba32>(ref to[left + x]);
                    if (d.A == 255)
                    {
                        d.R = (byte)((d.R * keep) + s.R + 0.5f);
                        d.G = (byte)((d.G * keep) + s.G + 0.5f);
                        d.B = (byte)((d.B * keep) + s.B + 0.5f);
                    }
                    else
                    {
                        var dstWeight = d.A / 255f * keep;
                        var alpha = (s.A / 255f) + dstWeight;
                        d.R = (byte)Math.Min(255f, ((s.R + (d.R * dstWeight)) / alpha) + 0.5f);
                        d.G = (byte)Math.Min(255f, ((s.G + (d.G * dstWeight)) / alpha) + 0.5f);
                        d.B = (byte)Math.Min(255f, ((s.B + (d.B * dstWeight)) / alpha) + 0.5f);
                        d.A = (byte)Math.Min(255f, (alpha * 255f) + 0.5f);
                    }
                }
            }
        });

    /// <summary>
    /// The text line as two float planes (alpha, light), white text over a black halo, opacity applied,
    /// with a one-pixel transparent border.
    /// </summary>
    private static (float[] Alpha, float[] Light, int Width, int Height) BuildLine(
        IWatermarkTextRenderer renderer, string text, int lineHeight, float opacity)
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
        var alpha = new float[width * height];
        var light = new float[width * height];
        for (var i = 0; i < coverage.Length; i++)
        {
            var t = coverage[i] / 255f;
            var h = halo[i] / 255f;
            alpha[i] = (t + (h * (1 - t))) * opacity;
            light[i] = t * opacity;
        }

        return (alpha, light, width, height);
    }

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
