using System.Buffers.Binary;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.ImageSharp.Tests.Watermarking;
using SignedStaticFiles.Variants;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Tests.Content;

/// <summary>
/// The engine's own checks are never stricter than its decoder: JPEG deviations that ImageSharp decodes to
/// the same pixels as the clean file (and browsers display) are stamped, not refused 422.
/// </summary>
public sealed class JpegDeviationTests
{
    public static TheoryData<string> Deviations() =>
    [
        "two-zero-bytes-between-app0-and-dqt",
        "fill-bytes-before-a-marker",
        "comment-and-app15-segments",
        "garbage-after-end-of-image",
    ];

    [Theory]
    [MemberData(nameof(Deviations))]
    public void DeviationTheDecoderAccepts_IsStamped(string deviation)
    {
        using var field = TestImages.Field(320, 200);
        var clean = TestImages.Jpeg(field);
        var deviant = Apply(clean, deviation);
        Assert.NotEqual(clean, deviant);

        // The premise: the decoder reads the deviant file to the same pixels as the clean one.
        using (var a = Image.Load<Rgb24>(clean))
        using (var b = Image.Load<Rgb24>(deviant))
        {
            Assert.True(a.DangerousTryGetSinglePixelMemory(out var pa));
            Assert.True(b.DangerousTryGetSinglePixelMemory(out var pb));
            Assert.True(pa.Span.SequenceEqual(pb.Span), $"{deviation}: the decoder reads other pixels");
        }

        using var engine = new EngineHarness();
        var stamped = engine.Run(deviant, "stamp", name: "front.jpg");
        Assert.Equal(VariantResultKind.Rendered, stamped.Kind);
        Assert.Equal(engine.Run(clean, "stamp", name: "front.jpg").Content.ToArray(), stamped.Content.ToArray());
    }

    [Fact]
    public void TruncatedScan_IsStill422_TheDecoderWouldPaintTheMissingRowsGrey()
    {
        using var field = TestImages.Field(320, 200);
        var clean = TestImages.Jpeg(field);
        using var engine = new EngineHarness();
        var result = engine.Run(clean[..(clean.Length * 2 / 3)], "stamp", name: "front.jpg");
        Assert.Equal(SignedFileOutcome.WatermarkFailed, result.Outcome);
    }

    private static byte[] Apply(byte[] jpeg, string deviation)
    {
        var afterApp0 = EndOfSegment(jpeg, 0xE0);
        var dqt = StartOfSegment(jpeg, 0xDB);
        return deviation switch
        {
            "two-zero-bytes-between-app0-and-dqt" => [.. jpeg[..afterApp0], 0x00, 0x00, .. jpeg[afterApp0..]],
            "fill-bytes-before-a-marker" => [.. jpeg[..dqt], 0xFF, 0xFF, 0xFF, .. jpeg[dqt..]],
            "comment-and-app15-segments" => [.. jpeg[..dqt], 0xFF, 0xFE, 0x00, 0x07, .. "hello"u8, 0xFF, 0xEF, 0x00, 0x04, 0xAB, 0xCD, .. jpeg[dqt..]],
            "garbage-after-end-of-image" => [.. jpeg, .. "trailing bytes after EOI"u8],
            _ => throw new ArgumentOutOfRangeException(nameof(deviation)),
        };
    }

    private static int StartOfSegment(byte[] jpeg, byte marker)
    {
        for (var i = 2; i + 4 <= jpeg.Length;)
        {
            Assert.Equal(0xFF, jpeg[i]);
            if (jpeg[i + 1] == marker)
            {
                return i;
            }

            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
        }

        throw new InvalidOperationException($"no segment 0x{marker:X2}");
    }

    private static int EndOfSegment(byte[] jpeg, byte marker)
    {
        var start = StartOfSegment(jpeg, marker);
        return start + 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(start + 2));
    }
}
