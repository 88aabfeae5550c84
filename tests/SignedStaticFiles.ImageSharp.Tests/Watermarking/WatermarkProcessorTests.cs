using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SignedStaticFiles.ImageSharp.Tests.Watermarking;

/// <summary>The pixel-level behaviour of the pipeline, without a server.</summary>
public sealed class WatermarkProcessorTests
{
    private static EngineHarness NewProcessor(WatermarkOptions? options = null) => new(options);

    [Fact]
    public void Jpeg_Output_Decodes_KeepsSize_DiffersInEveryQuadrant()
    {
        using var original = TestImages.Field(800, 520);
        var input = TestImages.Jpeg(original);

        var variant = NewProcessor().Process(input, "reviewer-7 · 2026-11-29", CancellationToken.None);

        Assert.Equal("image/jpeg", variant.ContentType);
        using var decodedInput = TestImages.Decode(input);
        using var output = TestImages.Decode(variant.Content);
        Assert.Equal((800, 520), (output.Width, output.Height));
        using var reencoded = TestImages.Decode(TestImages.Jpeg(decodedInput, quality: 85));
        foreach (var quadrant in Quadrants(800, 520))
        {
            // Re-encoding alone moves pixels by about one level; the stamp must move them well beyond that.
            var noise = TestImages.MeanAbsoluteDifference(decodedInput, reencoded, quadrant);
            var difference = TestImages.MeanAbsoluteDifference(decodedInput, output, quadrant);
            Assert.True(difference > (3 * noise) + 1, $"quadrant {quadrant} changed by {difference:0.00} on average (re-encoding alone: {noise:0.00})");
        }
    }

    [Fact]
    public void Png_BoundText_IsReallyThere_CorrelatesWithTheStampAlone()
    {
        const string text = "Reviewer Émilie Łukasiewicz · 2026-11-29 03:14 UTC";
        using var original = TestImages.Flat(900, 600);
        var variant = NewProcessor().Process(TestImages.Png(original), text, CancellationToken.None);
        Assert.Equal("image/png", variant.ContentType);
        using var output = TestImages.Decode(variant.Content);

        using var expected = TestImages.StampAlone(text, 900, 600);
        using var other = TestImages.StampAlone("Someone else entirely, another day", 900, 600);
        var actual = TestImages.LuminanceDelta(output, original);
        var same = TestImages.Correlation(actual, TestImages.LuminanceDelta(expected, original));
        var different = TestImages.Correlation(actual, TestImages.LuminanceDelta(other, original));

        Assert.True(same > 0.99, $"correlation with the bound text's stamp is {same:0.000}");
        Assert.True(different < 0.5, $"correlation with another text's stamp is {different:0.000}");
    }

    [Fact]
    public void Stamp_IsTiled_ManyDisjointCopiesOfTheText()
    {
        // On a flat image the stamp is the only change: count changed pixels per 100×100 block.
        using var original = TestImages.Flat(1200, 900);
        var variant = NewProcessor().Process(TestImages.Png(original), "TILED TEXT", CancellationToken.None);
        using var output = TestImages.Decode(variant.Content);
        var blocksWithInk = 0;
        for (var by = 0; by < 9; by++)
        {
            for (var bx = 0; bx < 12; bx++)
            {
                if (TestImages.MeanAbsoluteDifference(original, output, new Rectangle(bx * 100, by * 100, 100, 100)) > 0.5)
                {
                    blocksWithInk++;
                }
            }
        }

        Assert.True(blocksWithInk > 12 * 9 * 0.6, $"only {blocksWithInk} of 108 blocks carry the stamp");
    }

    [Fact]
    public void Exif_GpsAndCameraData_AreAbsentFromTheOutput()
    {
        using var original = TestImages.Field(640, 480);
        var input = TestImages.JpegWithExif(original);
        Assert.NotNull(Image.Identify(input).Metadata.ExifProfile); // the input really has them

        var variant = NewProcessor().Process(input, "stamp", CancellationToken.None);

        var info = Image.Identify(variant.Content);
        Assert.Null(info.Metadata.ExifProfile);
        Assert.Null(info.Metadata.IccProfile);
        Assert.Null(info.Metadata.XmpProfile);
        Assert.Null(info.Metadata.IptcProfile);
        Assert.Equal(-1, variant.Content.AsSpan().IndexOf("Exif\0\0"u8));
        Assert.Equal(-1, variant.Content.AsSpan().IndexOf("SpecimenCam"u8));
    }

    [Theory]
    [InlineData(6)] // stored turned 90° counter-clockwise: display rotates it clockwise
    [InlineData(8)]
    [InlineData(3)]
    public void ExifRotatedInput_ComesOutUpright(ushort orientation)
    {
        // Upright: 600×300, red top half, blue bottom half.
        using var upright = new Image<Rgba32>(600, 300);
        upright.ProcessPixelRows(a =>
        {
            for (var y = 0; y < a.Height; y++)
            {
                a.GetRowSpan(y).Fill(y < 150 ? new Rgba32(220, 30, 30, 255) : new Rgba32(30, 30, 220, 255));
            }
        });
        using var stored = upright.Clone(x => x.Rotate(orientation switch { 6 => RotateMode.Rotate270, 8 => RotateMode.Rotate90, _ => RotateMode.Rotate180 }));

        var variant = NewProcessor().Process(TestImages.JpegWithExif(stored, orientation), "upright", CancellationToken.None);

        using var output = TestImages.Decode(variant.Content);
        Assert.Equal((600, 300), (output.Width, output.Height));
        var top = Mean(output, new Rectangle(0, 0, 600, 150));
        var bottom = Mean(output, new Rectangle(0, 150, 600, 150));
        Assert.True(top.R > top.B + 60, $"top is {top}");
        Assert.True(bottom.B > bottom.R + 60, $"bottom is {bottom}");
    }

    [Fact]
    public void TransparentPng_KeepsTransparencyWhereNotStamped()
    {
        using var original = new Image<Rgba32>(500, 400, new Rgba32(0, 0, 0, 0));
        var variant = NewProcessor().Process(TestImages.Png(original), "alpha", CancellationToken.None);
        using var output = TestImages.Decode(variant.Content);
        var transparent = 0;
        var stamped = 0;
        for (var y = 0; y < 400; y += 4)
        {
            for (var x = 0; x < 500; x += 4)
            {
                if (output[x, y].A == 0)
                {
                    transparent++;
                }
                else
                {
                    stamped++;
                }
            }
        }

        Assert.True(transparent > 0 && stamped > 0, $"{transparent} transparent, {stamped} stamped");
    }

    [Theory]
    [InlineData(SixLabors.ImageSharp.Formats.Webp.WebpFileFormatType.Lossless)]
    [InlineData(SixLabors.ImageSharp.Formats.Webp.WebpFileFormatType.Lossy)]
    public void Webp_IsStampedAndStaysWebp_InItsOwnFileFormat(SixLabors.ImageSharp.Formats.Webp.WebpFileFormatType fileFormat)
    {
        using var original = TestImages.Field(400, 300);
        using var stream = new MemoryStream();
        original.SaveAsWebp(stream, new SixLabors.ImageSharp.Formats.Webp.WebpEncoder { FileFormat = fileFormat });

        var variant = NewProcessor().Process(stream.ToArray(), "webp", CancellationToken.None);

        Assert.Equal("image/webp", variant.ContentType);
        using var output = Image.Load<Rgba32>(variant.Content, out var format);
        Assert.Equal("Webp", format.Name);
        Assert.Equal(fileFormat, output.Metadata.GetWebpMetadata().FileFormat);
        Assert.Equal((400, 300), (output.Width, output.Height));
    }

    [Theory]
    [InlineData(255)]
    [InlineData(0)]
    [InlineData(128)]
    public void Stamp_IsVisibleOnWhiteBlackAndGrey(byte grey)
    {
        // Light text with a dark halo: on white the halo shows, on black the text, on grey both.
        using var original = TestImages.Flat(600, 400, grey);
        using var engine = NewProcessor();
        using var output = TestImages.Decode(engine.Process(TestImages.Png(original), "VISIBLE EVERYWHERE 2026", CancellationToken.None).Content);
        var changed = 0;
        for (var y = 0; y < 400; y += 2)
        {
            for (var x = 0; x < 600; x += 2)
            {
                if (Math.Abs(TestImages.Luma(output[x, y]) - grey) > 20)
                {
                    changed++;
                }
            }
        }

        Assert.True(changed > 300 * 200 / 40, $"only {changed} of {300 * 200} samples differ by more than 20 levels on grey {grey}");
    }

    [Fact]
    public void SameInputAndText_GivesIdenticalBytes()
    {
        var input = TestImages.Jpeg(400, 300);
        using var first = NewProcessor();
        using var second = NewProcessor();
        var a = first.Process(input, "deterministic", CancellationToken.None);
        var b = second.Process(input, "deterministic", CancellationToken.None);
        Assert.Equal(a.Content, b.Content); // the strong ETag relies on it
    }

    private static IEnumerable<Rectangle> Quadrants(int width, int height)
    {
        int w = width / 2, h = height / 2;
        return [new(0, 0, w, h), new(w, 0, w, h), new(0, h, w, h), new(w, h, w, h)];
    }

    private static (double R, double G, double B) Mean(Image<Rgba32> image, Rectangle area)
    {
        double r = 0, g = 0, b = 0;
        for (var y = area.Top; y < area.Bottom; y++)
        {
            for (var x = area.Left; x < area.Right; x++)
            {
                var p = image[x, y];
                r += p.R;
                g += p.G;
                b += p.B;
            }
        }

        var n = area.Width * area.Height;
        return (r / n, g / n, b / n);
    }
}
