using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.Watermarking;

/// <summary>
/// Bounded, deduplicated, cached rendering of watermarked variants. At most
/// <see cref="WatermarkOptions.MaxConcurrency"/> renders run; at most <see cref="WatermarkOptions.QueueLength"/>
/// more wait; beyond that a request is refused at once (503) instead of piling up memory. Identical
/// concurrent requests (same variant key) join the one render in flight; the render is cancelled when
/// every request waiting for it has gone away. Rendered variants stay in a size-bounded memory cache.
/// </summary>
internal sealed class WatermarkService : IDisposable
{
    private readonly WatermarkOptions _options;
    private readonly WatermarkImageProcessor _processor;
    private readonly Image<Rgba32>? _overlay;
    private readonly MemoryCache? _cache;
    private readonly SemaphoreSlim _gate;
    private readonly Dictionary<string, Flight> _flights = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly byte[] _settings;
    private readonly ILogger _logger;

    public WatermarkService(
        IWatermarkTextRenderer renderer,
        IOptions<SignedStaticFilesOptions> options,
        ILoggerFactory loggerFactory,
        IWebHostEnvironment? environment = null)
    {
        _options = options.Value.Watermark;
        _logger = loggerFactory.CreateLogger("SignedStaticFiles.Watermarking");
        var overlayStamp = string.Empty;
        if (_options.OverlayPath is { Length: > 0 } overlayPath)
        {
            var full = Path.GetFullPath(overlayPath, environment?.ContentRootPath ?? AppContext.BaseDirectory);
            _overlay = Image.Load<Rgba32>(WatermarkImageProcessor.CreateConfiguration(), full);
            var info = new FileInfo(full);
            overlayStamp = string.Create(CultureInfo.InvariantCulture, $"{full}|{info.Length}|{info.LastWriteTimeUtc.Ticks}");
        }

        _processor = new WatermarkImageProcessor(renderer, _options, _overlay);
        _gate = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        _capacity = _options.MaxConcurrency + _options.QueueLength;
        if (_options.CacheSizeBytes > 0)
        {
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.CacheSizeBytes, CompactionPercentage = 0.25 });
        }

        // Everything besides the file and the text that changes the output bytes.
        _settings = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"v1|{_options.Opacity}|{_options.JpegQuality}|{overlayStamp}|{renderer.GetType().AssemblyQualifiedName}"));
    }

    /// <summary>Decodes since start (tests, diagnostics).</summary>
    public long Decodes => _processor.Decodes;

    /// <summary>Renders queued or running.</summary>
    public int Pending
    {
        get
        {
            lock (_flights)
            {
                return _flights.Count;
            }
        }
    }

    /// <summary>
    /// The variant key: a hash of the file's identity and version, the expanded text and the settings. It
    /// is also the variant's ETag, so a new file version, another text or other settings never match.
    /// </summary>
    public string VariantKey(string path, long length, DateTimeOffset lastModified, string text)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{path.Length}:{path}|{length}|{lastModified.UtcTicks}|{text.Length}:{text}|")));
        hash.AppendData(_settings);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return System.Buffers.Text.Base64Url.EncodeToString(digest[..18]);
    }

    /// <summary>
    /// The variant for <paramref name="key"/>, from the cache, the render in flight, or a new render of the
    /// bytes <paramref name="readSource"/> returns. Null when the queue is full.
    /// </summary>
    /// <exception cref="WatermarkFailedException">The image cannot be watermarked.</exception>
    /// <exception cref="OperationCanceledException">The request went away.</exception>
    public async Task<WatermarkVariant?> GetAsync(
        string key, string text, Func<CancellationToken, Task<byte[]>> readSource, CancellationToken cancellationToken)
    {
        if (_cache is not null && _cache.TryGetValue(key, out WatermarkVariant? cached) && cached is not null)
        {
            return cached;
        }

        Flight flight;
        var owner = false;
        lock (_flights)
        {
            if (!_flights.TryGetValue(key, out flight!) || flight.Cancellation.IsCancellationRequested)
            {
                if (_flights.Count >= _capacity)
                {
                    return null;
                }

                flight = new Flight();
                _flights[key] = flight;
                owner = true;
            }

            flight.Waiters++;
        }

        if (owner)
        {
            _ = RenderAsync(key, flight, text, readSource);
        }

        try
        {
            return await flight.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_flights)
            {
                // The last one waiting has gone: nobody will read the result, so stop working on it.
                if (--flight.Waiters == 0 && !flight.Completion.Task.IsCompleted)
                {
                    flight.Cancellation.Cancel();
                }
            }
        }
    }

    private async Task RenderAsync(string key, Flight flight, string text, Func<CancellationToken, Task<byte[]>> readSource)
    {
        var token = flight.Cancellation.Token;
        try
        {
            await _gate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                var data = await readSource(token).ConfigureAwait(false);
                var started = TimeProvider.System.GetTimestamp();
                var variant = _processor.Process(data, text, token);
                WatermarkLog.Rendered(_logger, variant.Content.Length, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
                if (_cache is not null && variant.Content.Length <= _options.CacheSizeBytes)
                {
                    _cache.Set(key, variant, new MemoryCacheEntryOptions { Size = variant.Content.Length });
                }

                Complete(key, flight);
                flight.Completion.TrySetResult(variant);
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (OperationCanceledException)
        {
            Complete(key, flight);
            flight.Completion.TrySetCanceled(token);
        }
        catch (WatermarkFailedException e)
        {
            Complete(key, flight);
            flight.Completion.TrySetException(e);
        }
#pragma warning disable CA1031 // Fail closed: whatever goes wrong, the answer is an error, never the original.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Complete(key, flight);
            flight.Completion.TrySetException(new WatermarkFailedException("the image could not be processed: " + e.GetType().Name, e));
        }
    }

    private void Complete(string key, Flight flight)
    {
        lock (_flights)
        {
            if (_flights.TryGetValue(key, out var current) && ReferenceEquals(current, flight))
            {
                _flights.Remove(key);
            }
        }
    }

    public void Dispose()
    {
        _cache?.Dispose();
        _overlay?.Dispose();
        _gate.Dispose();
    }

    private sealed class Flight
    {
        public TaskCompletionSource<WatermarkVariant> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Cancellation { get; } = new();

        public int Waiters { get; set; }
    }
}
