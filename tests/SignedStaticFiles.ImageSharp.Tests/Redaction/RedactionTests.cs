using System.Net;
using SignedStaticFiles.ImageSharp.Engine;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.ImageSharp.Tests.Watermarking;
using SignedStaticFiles.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SignedStaticFiles.ImageSharp.Tests.Redaction;

/// <summary>
/// Redaction: a region is masked inside, untouched outside, in upright coordinates; Fill is opaque; Blur and
/// Pixelate leave no detail of 8 px readable; it works with and without a stamp, over HTTP too.
/// </summary>
public sealed class RedactionTests
{
    private static readonly RedactionRegion Region = new(0.25, 0.30, 0.40, 0.35);

    [Fact]
    public void Fill_MasksInside_LeavesOutsideUntouched()
    {
        using var original = TestImages.Field(400, 300);
        using var engine = new EngineHarness();

        var variant = engine.Process(TestImages.Png(original), text: null, redactions: [Region]);

        using var output = TestImages.Decode(variant.Content);
        var inside = RedactStep.ToPixels(Region, 400, 300);
        Assert.Equal(new Rectangle(100, 90, 160, 105), inside);
        for (var y = 0; y < 300; y++)
        {
            for (var x = 0; x < 400; x++)
            {
                var expected = inside.Contains(x, y) ? new Rgba32(0, 0, 0, 255) : original[x, y];
                Assert.True(expected == output[x, y], $"pixel ({x}, {y}) is {output[x, y]}, expected {expected}");
            }
        }
    }

    [Theory]
    [InlineData(RedactionStyle.Fill)]
    [InlineData(RedactionStyle.Blur)]
    [InlineData(RedactionStyle.Pixelate)]
    public void EveryStyle_LeavesNoDetailOf8PixelsReadable(RedactionStyle style)
    {
        // Two images that differ only by 8-px detail inside the region (stripes shifted by 8 px): after
        // masking, the regions must be alike — what differed cannot be read back.
        using var a = Stripes(480, 320, phase: 0);
        using var b = Stripes(480, 320, phase: 8);
        using var engine = new EngineHarness();
        RedactionRegion[] regions = [new(0.25, 0.25, 0.5, 0.5, style)];

        using var outA = TestImages.Decode(engine.Process(TestImages.Png(a), null, regions).Content);
        using var outB = TestImages.Decode(engine.Process(TestImages.Png(b), null, regions).Content);

        var inside = RedactStep.ToPixels(regions[0], 480, 320);
        var core = new Rectangle(inside.X + 24, inside.Y + 24, inside.Width - 48, inside.Height - 48); // away from the edge's blur falloff
        var before = MaxDifference(a, b, core);
        var after = MaxDifference(outA, outB, core);
        Assert.Equal(255, before);
        Assert.True(after <= 12, $"{style}: the masked regions still differ by up to {after} levels");
        Assert.True(MaxDifference(outA, outB, new Rectangle(0, 0, 480, inside.Y)) == 255, "outside the region the detail must remain");
    }

    [Fact]
    public void Regions_AreInUprightCoordinates_OfAnExifRotatedPhoto()
    {
        // Upright 600×300, stored rotated (EXIF orientation 6). The region is the upright top-left corner.
        using var upright = TestImages.Flat(600, 300, grey: 230);
        using var stored = upright.Clone(x => x.Rotate(RotateMode.Rotate270));
        var input = TestImages.JpegWithExif(stored, orientation: 6);
        using var engine = new EngineHarness();

        var variant = engine.Process(input, null, [new RedactionRegion(0, 0, 0.25, 0.5)]);

        using var output = TestImages.Decode(variant.Content);
        Assert.Equal((600, 300), (output.Width, output.Height));
        Assert.True(Mean(output, new Rectangle(10, 10, 130, 130)) < 20, "the upright top-left corner is not masked");
        Assert.True(Mean(output, new Rectangle(460, 10, 130, 130)) > 200, "the upright top-right corner was masked");
        Assert.True(Mean(output, new Rectangle(10, 160, 130, 130)) > 200, "the upright bottom-left corner was masked");
    }

    [Fact]
    public void RegionReachingAHairPastTheEdge_IsClamped()
    {
        // x + width = 1.0000000000000002 after float arithmetic on a decoded link.
        var region = new RedactionRegion(0.7, 0.9, 0.30000000000000004, 0.10000000000000003);
        Assert.Equal(new Rectangle(280, 270, 120, 30), RedactStep.ToPixels(region, 400, 300));
        using var engine = new EngineHarness();
        var variant = engine.Process(TestImages.Png(TestImages.Field(400, 300)), "stamp", [region]);
        using var output = TestImages.Decode(variant.Content);
        Assert.Equal(new Rgba32(0, 0, 0, 255), output[399, 299]);
    }

    [Fact]
    public void WithAStamp_TheRegionStaysOpaque_TheStampIsDrawnOverTheRest()
    {
        using var original = TestImages.Flat(500, 400);
        using var engine = new EngineHarness();
        var variant = engine.Process(TestImages.Png(original), "CONFIDENTIAL reviewer-7", [Region]);
        using var output = TestImages.Decode(variant.Content);
        var inside = RedactStep.ToPixels(Region, 500, 400);
        Assert.True(TestImages.MeanAbsoluteDifference(original, output, new Rectangle(0, 0, 500, inside.Y)) > 1, "no stamp outside the region");
    }

    [Fact]
    public async Task OverHttp_ProfileAndLinkRegions_MaskTheImage_WithAndWithoutAStamp()
    {
        await using var host = await ImageHost.StartAsync(o =>
        {
            o.Watermark.Mode = WatermarkMode.OnRequest;
            o.Redactions["support"] = [new RedactionRegion(0, 0, 0.5, 0.5)];
        });
        using var original = TestImages.Flat(400, 200, grey: 200);
        var png = TestImages.Png(original);
        host.WriteFile("kyc/id.png", png);

        // Redaction only: no stamp, the rest of the image byte-for-byte the same pixels.
        var redacted = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/kyc/id.png", new SignedUrlOptions
        {
            Redaction = "support",
            RedactionRegions = [new RedactionRegion(0.75, 0.5, 0.25, 0.5)],
        }));
        Assert.Equal(HttpStatusCode.OK, redacted.StatusCode);
        using (var output = TestImages.Decode(await redacted.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(new Rgba32(0, 0, 0, 255), output[10, 10]);      // the profile's region
            Assert.Equal(new Rgba32(0, 0, 0, 255), output[390, 190]);    // the link's own region
            Assert.Equal(original[250, 50], output[250, 50]);             // outside both: untouched
        }

        // With a stamp as well.
        var both = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/kyc/id.png", new SignedUrlOptions
        {
            Redaction = "support",
            WatermarkText = "support view {link}",
        }));
        Assert.Equal(HttpStatusCode.OK, both.StatusCode);
        using (var output = TestImages.Decode(await both.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(new Rgba32(0, 0, 0, 255), output[10, 10]);
        }

        // The plain link: the original bytes.
        Assert.Equal(png, await host.Client.GetByteArrayAsync(host.Generator.GetSignedUrl("~/protected/kyc/id.png")));
    }

    [Fact]
    public async Task OverHttp_RedactionChangesTheETag()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        host.WriteFile("kyc/id.jpg", TestImages.Jpeg(300, 200));
        async Task<string?> ETagOf(SignedUrlOptions options) =>
            (await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/kyc/id.jpg", options))).Headers.ETag?.Tag;

        var plain = await ETagOf(new SignedUrlOptions { WatermarkText = "same" });
        var masked = await ETagOf(new SignedUrlOptions { WatermarkText = "same", RedactionRegions = [Region] });
        var otherStyle = await ETagOf(new SignedUrlOptions { WatermarkText = "same", RedactionRegions = [new RedactionRegion(0.25, 0.30, 0.40, 0.35, RedactionStyle.Blur)] });
        Assert.Equal(3, new[] { plain, masked, otherStyle }.Distinct().Count());
    }

    private static Image<Rgba32> Stripes(int width, int height, int phase)
    {
        var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = ((x + phase) / 8 % 2 == 0) ? new Rgba32(0, 0, 0, 255) : new Rgba32(255, 255, 255, 255);
                }
            }
        });
        return image;
    }

    private static int MaxDifference(Image<Rgba32> a, Image<Rgba32> b, Rectangle area)
    {
        var max = 0;
        for (var y = area.Top; y < area.Bottom; y++)
        {
            for (var x = area.Left; x < area.Right; x++)
            {
                max = Math.Max(max, Math.Abs(a[x, y].R - b[x, y].R));
            }
        }

        return max;
    }

    private static double Mean(Image<Rgba32> image, Rectangle area)
    {
        double sum = 0;
        for (var y = area.Top; y < area.Bottom; y++)
        {
            for (var x = area.Left; x < area.Right; x++)
            {
                sum += TestImages.Luma(image[x, y]);
            }
        }

        return sum / (area.Width * area.Height);
    }
}
