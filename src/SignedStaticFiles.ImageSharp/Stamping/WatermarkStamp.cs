using System.Buffers;
using System.Runtime.CompilerServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

using SignedStaticFiles.ImageSharp.Text;

namespace SignedStaticFiles.ImageSharp.Stamping;

/// <summary>
/// The pattern stamped over an image: parallel text lines rising at 30°, evenly spaced across the whole
/// picture, each line a repetition of the text with a gap, neighbouring lines staggered by half a period —
/// so any crop keeps several copies. Light text with a dark halo, both at the configured opacity, reads on
/// light and dark regions alike. Drawn by inverse mapping: each image pixel finds its position along and
/// across the nearest line and samples the text bitmap bilinearly, so no rotated bitmap is ever built and
/// the cost is one pass over the image.
/// </summary>
internal sealed class WatermarkStamp : IDisposable
{
    private const double Angle = 30 * Math.PI / 180;

    // The text line with its halo, opacity applied, premultiplied, as interleaved (alpha, light) pairs —
    // light being the white text's share — padded by one transparent pixel all around so that bilinear
    // sampling needs no bounds checks.
    private readonly float[] _plane;
    private readonly int _lineWidth;
    private readonly int _lineHeight;
    private readonly float _period;   // along a line: text plus gap
    private readonly float _spacing;  // across lines
    private readonly Image<Rgba32>? _overlay; // premultiplied, opacity applied
    private readonly int _inkTop;     // first and last rows of the plane with any ink (text or halo)
    private readonly int _inkBottom;

    private WatermarkStamp(float[] plane, int lineWidth, int lineHeight, float period, float spacing, Image<Rgba32>? overlay)
    {
        _plane = plane;
        (_inkTop, _inkBottom) = InkRows(plane, lineWidth, lineHeight);
        _lineWidth = lineWidth;
        _lineHeight = lineHeight;
        _period = period;
        _spacing = spacing;
        _overlay = overlay;
    }

    /// <summary>The line height used for an image of the given size: about 1/26 of its shorter side.</summary>
    public static int LineHeightFor(int width, int height) => Math.Clamp(Math.Min(width, height) / 26, 10, 400);

    /// <summary>The stamp of one text line (<paramref name="mask"/>, rendered for <paramref name="lineHeight"/>).</summary>
    public static WatermarkStamp Create(TextMask mask, int lineHeight, float opacity, Image<Rgba32>? overlay)
    {
        var (plane, width, height) = BuildLine(mask, lineHeight, Math.Clamp(opacity, 0f, 1f));
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

        return new WatermarkStamp(plane, width, height, period, spacing, sprite);
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
        var plane = _plane;
        var lineWidth = _lineWidth;
        var period = _period;
        var spacing = _spacing;
        // The band of a line spans the plane's inked rows only (its blank margins are never visited).
        var centre = (_lineHeight - 1) / 2f;
        var bandLow = Math.Max(0.5f, _inkTop - 1) - centre;
        var bandHigh = Math.Min(_lineHeight - 1.5f, _inkBottom + 1) - centre;
        var maxU = lineWidth - 2;
        var width = image.Width;

        // Rows are independent: stamped in parallel bands, one per processor, as ImageSharp's own
        // processors do (the number of concurrent renders is bounded separately, by the render queue).
        var height = image.Height;
        var bands = Math.Clamp(Math.Min(Environment.ProcessorCount, height / 64), 1, 64);
        Parallel.For(0, bands, band =>
        {
            for (var y = band * height / bands; y < (band + 1) * height / bands; y++)
            {
                var row = image.DangerousGetPixelRowMemory(y).Span;

                // u runs along the lines (rising to the right on screen), v across them: v = y·cos + x·sin.
                // Only the x intervals of the row that cross a line's band are visited at all.
                var u0 = -y * sin;
                var v0 = y * cos;
                var kFirst = (int)MathF.Ceiling((v0 - bandHigh) / spacing);
                var kLast = (int)MathF.Floor((v0 + ((width - 1) * sin) - bandLow) / spacing);
                for (var k = kFirst; k <= kLast; k++)
                {
                    var xFirst = Math.Max(0, (int)MathF.Ceiling(((k * spacing) + bandLow - v0) / sin));
                    var xLast = Math.Min(width - 1, (int)MathF.Floor(((k * spacing) + bandHigh - v0) / sin));
                    var along = u0 + (xFirst * cos) - (k * 0.5f * period);
                    along -= MathF.Floor(along / period) * period;
                    var across = v0 + (xFirst * sin) - (k * spacing) + centre;
                    for (var x = xFirst; x <= xLast; x++, along += cos, across += sin)
                    {
                        if (along >= period)
                        {
                            along -= period;
                        }

                        if (along >= maxU || across <= 0.5f || across >= _lineHeight - 1.5f)
                        {
                            continue;
                        }

                        // Bilinear sample of the (alpha, light) plane; most of a band lies between glyphs.
                        var fx = along + 1;
                        var x0 = (int)fx;
                        var y0 = (int)across;
                        var i = 2 * ((y0 * lineWidth) + x0);
                        var j = i + (2 * lineWidth);
                        var a00 = plane[i];
                        var a01 = plane[i + 2];
                        var a10 = plane[j];
                        var a11 = plane[j + 2];
                        if (a00 + a01 + a10 + a11 < 0.002f)
                        {
                            continue;
                        }

                        var tx = fx - x0;
                        var ty = across - y0;
                        var w11 = tx * ty;
                        var w01 = tx - w11;
                        var w10 = ty - w11;
                        var w00 = 1 - tx - w10;
                        var a = (a00 * w00) + (a01 * w01) + (a10 * w10) + (a11 * w11);
                        var l = (plane[i + 1] * w00) + (plane[i + 3] * w01) + (plane[j + 1] * w10) + (plane[j + 3] * w11);
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
        });

        if (_overlay is not null)
        {
            DrawOverlays(image, cos, sin);
        }
    }

    private static void Blend(ref Rgb24 d, float a, float light)
    {
        // 8.8 fixed point: d·(1 − a) + light·255, rounded.
        var keep = (int)((1 - a) * 256);
        var add = (int)(light * 255 * 256) + 128;
        d.R = (byte)(((d.R * keep) + add) >> 8);
        d.G = (byte)(((d.G * keep) + add) >> 8);
        d.B = (byte)(((d.B * keep) + add) >> 8);
    }

    private static (int Top, int Bottom) InkRows(float[] plane, int width, int height)
    {
        int top = height, bottom = -1;
        for (var y = 0; y < height; y++)
        {
            var row = plane.AsSpan(2 * y * width, 2 * width);
            foreach (var value in row)
            {
                if (value > 0)
                {
                    top = Math.Min(top, y);
                    bottom = y;
                    break;
                }
            }
        }

        return bottom < 0 ? (height / 2, height / 2) : (top, bottom);
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
    private static (float[] Plane, int Width, int Height) BuildLine(TextMask mask, int lineHeight, float opacity)
    {
        var radius = Math.Max(1, (int)Math.Round(lineHeight * 0.07));
        var pad = radius + 2;
        var width = mask.Width + (2 * pad);
        var height = mask.Height + (2 * pad);
        var length = width * height;
        var coverage = ArrayPool<byte>.Shared.Rent(length);
        Array.Clear(coverage, 0, length);
        for (var y = 0; y < mask.Height; y++)
        {
            mask.Row(y).CopyTo(coverage.AsSpan(((y + pad) * width) + pad, mask.Width));
        }

        // The halo: the coverage spread by a box blur of radius ≈ 7 % of the line and boosted, a soft dark
        // glow around every stroke (two running-sum passes: linear in the number of pixels).
        var halo = BoxBlur(coverage, width, height, radius);
        var plane = ArrayPool<float>.Shared.Rent(length * 2);
        for (var i = 0; i < length; i++)
        {
            var t = coverage[i] / 255f;
            var h = Math.Min(1f, halo[i] * (4f / 255f));
            plane[2 * i] = (t + (h * (1 - t))) * opacity;
            plane[(2 * i) + 1] = t * opacity;
        }

        ArrayPool<int>.Shared.Return(halo);
        ArrayPool<byte>.Shared.Return(coverage);
        return (plane, width, height);
    }

    /// <summary>Separable box blur of radius <paramref name="radius"/> with running sums (zero outside).</summary>
    private static int[] BoxBlur(byte[] source, int width, int height, int radius)
    {
        var window = (2 * radius) + 1;
        var length = width * height;
        var horizontal = ArrayPool<int>.Shared.Rent(length);
        for (var y = 0; y < height; y++)
        {
            var row = y * width;
            var sum = 0;
            for (var x = -radius; x < width; x++)
            {
                var entering = x + radius;
                if (entering < width)
                {
                    sum += source[row + entering];
                }

                var leaving = x - radius - 1;
                if (leaving >= 0)
                {
                    sum -= source[row + leaving];
                }

                if (x >= 0)
                {
                    horizontal[row + x] = sum;
                }
            }
        }

        var result = ArrayPool<int>.Shared.Rent(length);
        var area = window * window;
        for (var x = 0; x < width; x++)
        {
            var sum = 0;
            for (var y = -radius; y < height; y++)
            {
                var entering = y + radius;
                if (entering < height)
                {
                    sum += horizontal[(entering * width) + x];
                }

                var leaving = y - radius - 1;
                if (leaving >= 0)
                {
                    sum -= horizontal[(leaving * width) + x];
                }

                if (y >= 0)
                {
                    result[(y * width) + x] = sum / area;
                }
            }
        }

        ArrayPool<int>.Shared.Return(horizontal);
        return result;
    }

    /// <summary>Returns the pooled text plane and the overlay sprite.</summary>
    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_plane);
        _overlay?.Dispose();
    }
}
