using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging.Abstractions;
using SignedStaticFiles.ImageSharp.Diagnostics;
using SignedStaticFiles.ImageSharp.Engine;
using SignedStaticFiles.ImageSharp.Text;
using SignedStaticFiles.Stores;
using SignedStaticFiles.Variants;

namespace SignedStaticFiles.ImageSharp.Tests.Infrastructure;

/// <summary>
/// The real engine over a real local folder store, without a server: a file in, the engine's
/// <see cref="VariantResult"/> out. For pixel-level tests.
/// </summary>
internal sealed class EngineHarness : IDisposable
{
    private static readonly Lazy<SkiaStampTextRenderer> SharedRenderer = new(() => new SkiaStampTextRenderer(NullLoggerFactory.Instance));
    private readonly string _root = Directory.CreateTempSubdirectory("imaging-").FullName;
    private readonly PhysicalFolderStore _store;
    private readonly ImageVariantEngine _engine;
    private int _files;

    public EngineHarness(WatermarkOptions? options = null, IStampTextRenderer? renderer = null)
    {
        Options = options ?? new WatermarkOptions();
        _store = new PhysicalFolderStore(new PhysicalFileProvider(_root), "harness:" + _root);
        _engine = new ImageVariantEngine("", Options, _root, renderer ?? SharedRenderer.Value,
            new ImageSharpMetrics(new TestMeterFactory()), TimeProvider.System, NullLoggerFactory.Instance);
    }

    public WatermarkOptions Options { get; }

    public static SkiaStampTextRenderer Renderer => SharedRenderer.Value;

    public long Decodes => _engine.Decodes;

    /// <summary>Runs the engine on <paramref name="content"/> stored as <paramref name="name"/>.</summary>
    public VariantResult Run(byte[] content, string? text, IReadOnlyList<RedactionRegion>? redactions = null, string name = "file.bin",
        string? contentType = null, string? fallback = null, bool required = true, Action<string>? afterLookUp = null)
    {
        var path = "/" + Interlocked.Increment(ref _files) + "-" + name;
        File.WriteAllBytes(Path.Combine(_root, path[1..]), content);
        var file = _store.GetFileAsync(path, CancellationToken.None).AsTask().GetAwaiter().GetResult()!;
        afterLookUp?.Invoke(Path.Combine(_root, path[1..]));
        return _engine.RenderAsync(new VariantRequest
        {
            FolderName = "",
            Path = "/protected" + path,
            Store = _store,
            File = file,
            Required = required,
            Text = text,
            FallbackText = fallback,
            Redactions = redactions,
            ContentType = contentType,
            Options = Options,
        }, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Runs the engine and expects a rendered variant.</summary>
    public Rendered Process(byte[] content, string? text, CancellationToken cancellationToken = default) => Process(content, text, null, cancellationToken);

    /// <summary>Runs the engine with redactions and expects a rendered variant.</summary>
    public Rendered Process(byte[] content, string? text, IReadOnlyList<RedactionRegion>? redactions, CancellationToken cancellationToken = default)
    {
        _ = cancellationToken;
        var result = Run(content, text, redactions);
        Assert.True(result.Kind == VariantResultKind.Rendered, $"expected a rendered variant, got {result.Kind} {result.Outcome}");
        return new Rendered(result.Content.ToArray(), result.ContentType!, result.ETag!);
    }

    public void Dispose()
    {
        _engine.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    public sealed record Rendered(byte[] Content, string ContentType, string ETag);

    private sealed class TestMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        private readonly List<System.Diagnostics.Metrics.Meter> _meters = [];

        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
        {
            var meter = new System.Diagnostics.Metrics.Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
