using System.Globalization;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SignedStaticFiles.ImageSharp.Engine;

/// <summary>
/// Masks regions of the upright image, in the order given. <see cref="RedactionStyle.Fill"/> paints an
/// opaque black box (the only style safe for text); <see cref="RedactionStyle.Blur"/> and
/// <see cref="RedactionStyle.Pixelate"/> are cosmetic, but strong enough that detail of 8 pixels inside the
/// region cannot be read back (tests/SignedStaticFiles.ImageSharp.Tests/Redaction): the blur's sigma is at
/// least 8 px and it is computed over the region widened by its reach, so the region's own edge pixels are
/// never repeated into it; pixel blocks are area averages (ImageSharp's Pixelate samples one pixel per block,
/// which keeps that pixel's detail) of a multiple of 16 px. Regions are rounded outward to whole pixels.
/// </summary>
internal sealed class RedactStep(IReadOnlyList<RedactionRegion> regions) : IVariantStep
{
    public IReadOnlyList<RedactionRegion> Regions { get; } = regions;

    public void Describe(StringBuilder description)
    {
        description.Append("redact(");
        foreach (var r in Regions)
        {
            description.Append(CultureInfo.InvariantCulture, $"{r.X:R},{r.Y:R},{r.Width:R},{r.Height:R},{r.Style};");
        }

        description.Append(')');
    }

    public void Apply<TPixel>(Image<TPixel> image, ReadOnlySpan<byte> source)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        foreach (var region in Regions)
        {
            var area = ToPixels(region, image.Width, image.Height);
            if (area.Width <= 0 || area.Height <= 0)
            {
                continue;
            }

            switch (region.Style)
            {
                case RedactionStyle.Blur:
                    Blur(image, area);
                    break;
                case RedactionStyle.Pixelate:
                    Pixelate(image, area);
                    break;
                default:
                    Fill(image, area);
                    break;
            }
        }
    }

    /// <summary>
    /// The pixel rectangle of a region, rounded outward and clamped to the image: regions decoded from a link
    /// may reach a hair past 1 (x + width = 1.0000000000000002) through float arithmetic.
    /// </summary>
    public static Rectangle ToPixels(RedactionRegion region, int width, int height)
    {
        static int Clamp(double value, int max) => (int)Math.Clamp(value, 0, max);
        var left = Clamp(Math.Floor(region.X * width), width);
        var top = Clamp(Math.Floor(region.Y * height), height);
        var right = Clamp(Math.Ceiling((region.X + region.Width) * width), width);
        var bottom = Clamp(Math.Ceiling((region.Y + region.Height) * height), height);
        return new Rectangle(left, top, right - left, bottom - top);
    }

    private static void Blur<TPixel>(Image<TPixel> image, Rectangle area)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        // Sigma from the region's size, at least 8 px, at most 24 px (the kernel reaches 3 sigma each way).
        var sigma = Math.Clamp(Math.Min(area.Width, area.Height) / 6f, 8f, 24f);
        var reach = (int)Math.Ceiling(3 * sigma);
        var widened = Rectangle.Intersect(new Rectangle(area.X - reach, area.Y - reach, area.Width + (2 * reach), area.Height + (2 * reach)), image.Bounds());
        using var blurred = image.Clone(x => x.Crop(widened).GaussianBlur(sigma));
        image.ProcessPixelRows(blurred, (target, source) =>
        {
            for (var y = area.Top; y < area.Bottom; y++)
            {
                source.GetRowSpan(y - widened.Y).Slice(area.X - widened.X, area.Width).CopyTo(target.GetRowSpan(y).Slice(area.X, area.Width));
            }
        });
    }

    private static void Pixelate<TPixel>(Image<TPixel> image, Rectangle area)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        // A multiple of 16 px (twice the 8 px detail), about a quarter of the region's shorter side.
        var size = Math.Max(16, (int)Math.Round(Math.Min(area.Width, area.Height) / 4.0 / 16) * 16);
        image.ProcessPixelRows(rows =>
        {
            for (var top = area.Top; top < area.Bottom; top += size)
            {
                var bottom = Math.Min(area.Bottom, top + size);
                for (var left = area.Left; left < area.Right; left += size)
                {
                    var width = Math.Min(area.Right, left + size) - left;
                    var sum = System.Numerics.Vector4.Zero;
                    for (var y = top; y < bottom; y++)
                    {
                        foreach (var pixel in rows.GetRowSpan(y).Slice(left, width))
                        {
                            sum += pixel.ToScaledVector4();
                        }
                    }

                    var mean = default(TPixel);
                    mean.FromScaledVector4(sum / (width * (bottom - top)));
                    for (var y = top; y < bottom; y++)
                    {
                        rows.GetRowSpan(y).Slice(left, width).Fill(mean);
                    }
                }
            }
        });
    }

    private static void Fill<TPixel>(Image<TPixel> image, Rectangle area)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var black = default(TPixel);
        black.FromRgba32(new Rgba32(0, 0, 0, 255));
        image.ProcessPixelRows(accessor =>
        {
            for (var y = area.Top; y < area.Bottom; y++)
            {
                accessor.GetRowSpan(y).Slice(area.Left, area.Width).Fill(black);
            }
        });
    }
}
