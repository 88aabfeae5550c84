using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.ImageSharp.Tests.Watermarking;
using SignedStaticFiles.Variants;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Tests.Content;

/// <summary>Byte, megapixel and decoded-byte caps, all checked from the header before any pixel is decoded.</summary>
public sealed class DecodeCapTests
{
    [Fact]
    public void SixteenBitRgbaPng_CountsEightBytesAPixel_AgainstMaxDecodedBytes()
    {
        // 500 × 500 at 16 bits per channel, RGBA: 2,000,000 decoded bytes (4 bytes a pixel would be 1,000,000).
        using var deep = new Image<Rgba64>(500, 500, new Rgba64(1000, 2000, 3000, 65535));
        using var stream = new MemoryStream();
        deep.SaveAsPng(stream, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.RgbWithAlpha });

        using var tight = new EngineHarness(new WatermarkOptions { MaxDecodedBytes = 1_999_999 });
        var refused = tight.Run(stream.ToArray(), "stamp", name: "deep.png");
        Assert.Equal(SignedFileOutcome.WatermarkFailed, refused.Outcome);
        Assert.Equal(0, tight.Decodes);

        using var enough = new EngineHarness(new WatermarkOptions { MaxDecodedBytes = 2_000_000 });
        Assert.Equal(VariantResultKind.Rendered, enough.Run(stream.ToArray(), "stamp", name: "deep.png").Kind);
    }

    [Fact]
    public void MegapixelCap_RefusesBeforeDecoding()
    {
        using var engine = new EngineHarness(new WatermarkOptions { MaxMegapixels = 0.05 });
        var result = engine.Run(TestImages.Jpeg(300, 200), "stamp", name: "a.jpg");
        Assert.Equal(SignedFileOutcome.WatermarkFailed, result.Outcome);
        Assert.Equal(0, engine.Decodes);
    }

    [Fact]
    public void ByteCap_RefusesWithoutReadingTheFile()
    {
        using var engine = new EngineHarness(new WatermarkOptions { MaxInputBytes = 1000 });
        var result = engine.Run(TestImages.Jpeg(300, 200), "stamp", name: "a.jpg");
        Assert.Equal(SignedFileOutcome.WatermarkFailed, result.Outcome);
        Assert.Equal(0, engine.Decodes);
    }

    [Fact]
    public void FileReplacedAfterTheLookUp_IsNotFound_NeverHalfOfTwoVersions()
    {
        using var engine = new EngineHarness();
        var result = engine.Run(TestImages.Jpeg(300, 200), "stamp", name: "a.jpg",
            afterLookUp: path => File.WriteAllBytes(path, TestImages.Jpeg(320, 200)));
        Assert.Equal(SignedFileOutcome.NotFound, result.Outcome);
        Assert.Equal(0, engine.Decodes);
    }
}
