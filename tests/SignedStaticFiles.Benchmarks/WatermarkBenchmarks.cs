using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging.Abstractions;
using SignedStaticFiles.ImageSharp.Diagnostics;
using SignedStaticFiles.ImageSharp.Engine;
using SignedStaticFiles.ImageSharp.Imaging;
using SignedStaticFiles.ImageSharp.Text;
using SignedStaticFiles.Stores;
using SignedStaticFiles.Variants;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.Benchmarks;

/// <summary>
/// B3 (cold): the image engine on a 2000×1300 JPEG with its variant cache off — read from the store,
/// sniff, identify and caps, decode, orient, stamp (text shaped by HarfBuzz and rasterised by Skia, its mask
/// cached as in production), strip, JPEG re-encode at quality 85 — against the floor any re-encoding pipeline
/// pays, ImageSharp decode + encode alone with the same configuration. <see cref="Redacted"/> adds one Fill
/// region. Target (docs/performance.md, B3): Watermark ≤ 1.2 × DecodeEncode.
/// dotnet run -c Release --project tests/SignedStaticFiles.Benchmarks -- --filter '*WatermarkBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class WatermarkBenchmarks : IDisposable
{
    private const string Text = "CONFIDENTIAL · j.doe@bank.example · 2026-11-29 03:14 UTC · Kx3v9QeB0aZ1mL7p";
    private string _root = null!;
    private byte[] _jpeg = null!;
    private ImageVariantEngine _engine = null!;
    private SkiaStampTextRenderer _renderer = null!;
    private VariantRequest _request = null!;
    private VariantRequest _redacted = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jpeg = SyntheticPhoto.Jpeg(2000, 1300);
        _root = Directory.CreateTempSubdirectory("ssf-b3-").FullName;
        File.WriteAllBytes(Path.Combine(_root, "photo.jpg"), _jpeg);
        var options = new WatermarkOptions { CacheSizeBytes = 0 };
        var store = new PhysicalFolderStore(new PhysicalFileProvider(_root), "bench");
        var file = store.GetFileAsync("/photo.jpg", CancellationToken.None).AsTask().GetAwaiter().GetResult()!;
        _renderer = new SkiaStampTextRenderer(NullLoggerFactory.Instance);
        _engine = new ImageVariantEngine("", options, _root, _renderer, new ImageSharpMetrics(new BenchmarkMeterFactory()), TimeProvider.System, NullLoggerFactory.Instance);
        _request = new VariantRequest
        {
            FolderName = "", Path = "/protected/photo.jpg", Store = store, File = file, Required = true, Text = Text, Options = options,
        };
        _redacted = new VariantRequest
        {
            FolderName = "", Path = "/protected/photo.jpg", Store = store, File = file, Required = true, Text = Text, Options = options,
            Redactions = [new RedactionRegion(0.1, 0.6, 0.5, 0.1)],
        };
    }

    [Benchmark(Baseline = true)]
    public long DecodeEncode()
    {
        using var image = Image.Load<Rgb24>(ImageDecoding.Configuration, _jpeg);
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = 85 });
        return output.Length;
    }

    [Benchmark]
    public long Watermark() => Render(_request);

    [Benchmark]
    public long Redacted() => Render(_redacted);

    [GlobalCleanup]
    public void Dispose()
    {
        _engine?.Dispose();
        _renderer?.Dispose();
        if (_root is not null)
        {
            Directory.Delete(_root, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    private long Render(VariantRequest request)
    {
        var result = _engine.RenderAsync(request, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result.Kind == VariantResultKind.Rendered ? result.Content.Length : throw new InvalidOperationException($"{result.Kind} {result.Outcome}");
    }

    private sealed class BenchmarkMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
