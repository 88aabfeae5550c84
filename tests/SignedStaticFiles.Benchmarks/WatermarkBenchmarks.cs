using BenchmarkDotNet.Attributes;
using SignedStaticFiles.Watermarking;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.Benchmarks;

/// <summary>
/// B3 (cold): the whole watermark pipeline on a 2000×1300 JPEG — identify, caps, decode, orientation,
/// stamp built from the glyph atlas, tiled composite, JPEG re-encode at quality 85 — against the floor
/// any re-encoding pipeline pays, ImageSharp decode + encode alone with the same configuration.
/// Target: Watermark ≤ 1.3 × DecodeEncode.
/// dotnet run -c Release --project tests/SignedStaticFiles.Benchmarks -- --filter '*WatermarkBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class WatermarkBenchmarks
{
    private const string Text = "CONFIDENTIAL · j.doe@bank.example · 2026-11-29 03:14 UTC · Kx3v9QeB0aZ1mL7p";
    private Configuration _configuration = null!;
    private WatermarkImageProcessor _processor = null!;
    private byte[] _jpeg = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jpeg = SyntheticPhoto.Jpeg(2000, 1300);
        _configuration = WatermarkImageProcessor.CreateConfiguration();
        _processor = new WatermarkImageProcessor(new GlyphAtlasTextRenderer(), new WatermarkOptions(), overlay: null);
    }

    [Benchmark(Baseline = true)]
    public long DecodeEncode()
    {
        using var image = Image.Load<Rgb24>(_configuration, _jpeg);
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = 85 });
        return output.Length;
    }

    [Benchmark]
    public long Watermark() => _processor.Process(_jpeg, Text, CancellationToken.None).Content.Length;
}
