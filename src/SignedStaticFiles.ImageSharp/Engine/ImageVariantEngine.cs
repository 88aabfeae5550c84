using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.IO;
using SignedStaticFiles.ImageSharp.Caching;
using SignedStaticFiles.ImageSharp.Content;
using SignedStaticFiles.ImageSharp.Diagnostics;
using SignedStaticFiles.ImageSharp.Imaging;
using SignedStaticFiles.ImageSharp.Text;
using SignedStaticFiles.Stores;
using SignedStaticFiles.Variants;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Engine;

/// <summary>
/// The image engine of one folder. Decides by content, never by name: JPEG, PNG and WebP are transformed
/// (orient → redact → stamp → strip metadata → encode); content on the non-image allow-list (plain text
/// without markup, JSON served as JSON) leaves as it is; everything else is refused 415. The decoder decides
/// what is whole; the byte, megapixel and decoded-byte caps are checked before any pixel is decoded. Renders
/// go through a bounded, deduplicating, cached queue; the result is returned, never written.
/// </summary>
internal sealed class ImageVariantEngine : IVariantEngine, IDisposable
{
    private const int MaxRememberedClassifications = 4096;

    /// <summary>The largest file read whole: its length plus the one byte that detects growth fit in one array.</summary>
    private const long MaxReadableBytes = 0x7FFFFFC7L - 1; // Array.MaxLength - 1

    private const long MaxPooledEncodeBytes = 256L * 1024 * 1024;

    private readonly string _folderName;
    private readonly WatermarkOptions _options;
    private readonly IStampTextRenderer _renderer;
    private readonly ImageSharpMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StampOverlay? _overlay;
    private readonly RenderQueue<RenderedVariant> _queue;

    // Sources are read whole before decoding; a pool as deep as the renders that run at once keeps a burst
    // of large files from leaving one large-object-heap array per render behind for the GC (B4).
    private readonly ArrayPool<byte> _sourceBuffers;

    // Likewise for the encoder's output, which is copied once into an array of its exact length.
    private readonly RecyclableMemoryStreamManager _encodeBuffers;
    private readonly ConcurrentDictionary<string, bool> _nonImages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ContentKind> _kinds = new(StringComparer.Ordinal);
    private long _decodes;

    public ImageVariantEngine(
        string folderName,
        WatermarkOptions options,
        string contentRoot,
        IStampTextRenderer renderer,
        ImageSharpMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        _folderName = folderName;
        _options = options;
        _renderer = renderer;
        _metrics = metrics;
        _time = time;
        _logger = loggerFactory.CreateLogger("SignedStaticFiles.ImageSharp");
        if (options.OverlayPath is { Length: > 0 } overlayPath)
        {
            // The app's own PNG, checked at startup by the options validator.
            var full = Path.GetFullPath(overlayPath, contentRoot);
            var info = new FileInfo(full);
            _overlay = new StampOverlay(
                Image.Load<Rgba32>(ImageDecoding.Configuration, full),
                string.Create(CultureInfo.InvariantCulture, $"{full}|{info.Length}|{info.LastWriteTimeUtc.Ticks}"));
        }

        // Any positive MaxInputBytes is valid (long.MaxValue: no limit of its own), so the sums and products are
        // taken on values already clamped: no overflow can turn a pool size negative. A file is read with one
        // byte more than its length, so the largest readable file is Array.MaxLength - 1 (MaxReadableBytes).
        _sourceBuffers = ArrayPool<byte>.Create((int)Math.Min(options.MaxInputBytes, MaxReadableBytes) + 1, options.MaxConcurrency);
        _encodeBuffers = new RecyclableMemoryStreamManager(new RecyclableMemoryStreamManager.Options
        {
            // Blocks of 128 KiB; what stays pooled between bursts is bounded by what the renders that run at
            // once need for an input-sized output.
            BlockSize = 128 * 1024,
            MaximumSmallPoolFreeBytes = Math.Min(Math.Min(options.MaxInputBytes, MaxPooledEncodeBytes) * options.MaxConcurrency, MaxPooledEncodeBytes),
            MaximumLargePoolFreeBytes = 0,
        });
        _queue = new RenderQueue<RenderedVariant>(
            options.MaxConcurrency, options.QueueLength, options.CacheSizeBytes, v => v.Content.Length + 256L, metrics.QueueChanged);
    }

    /// <summary>Images decoded (pixels, not just headers) since start: a test and diagnostics probe.</summary>
    public long Decodes => Interlocked.Read(ref _decodes);

    /// <summary>Renders running or queued.</summary>
    public int Pending => _queue.Pending;

    /// <summary>How many rendered variants the cache holds.</summary>
    internal long CachedVariants => _queue.CachedCount;

    /// <summary>
    /// Forgets every rendered variant: a path or "all" revocation (an applicant's documents withdrawn, an
    /// incident) must not leave rendered copies of those documents in memory until they age out.
    /// </summary>
    internal void ForgetRenderedVariants() => _queue.ClearCache();

    public async ValueTask<VariantResult> RenderAsync(VariantRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var file = request.File;
            var (kind, head) = await SniffAsync(request, cancellationToken).ConfigureAwait(false);
            if (kind == ContentKind.Other)
            {
                if (await IsAllowedNonImageAsync(request, cancellationToken).ConfigureAwait(false))
                {
                    return VariantResult.Original;
                }

                throw new ImageRefusedException(SignedFileOutcome.UnsupportedMediaType, "unsupported_media_type",
                    $"it is {ContentSniffer.Describe(head)}, neither a JPEG, PNG or WebP image the engine can transform nor a plain non-image file");
            }

            if (file.Length > _options.MaxInputBytes)
            {
                throw new ImageRefusedException(SignedFileOutcome.WatermarkFailed, "too_large",
                    $"the file is {file.Length} bytes, over WatermarkOptions.MaxInputBytes ({_options.MaxInputBytes})");
            }

            if (file.Length > MaxReadableBytes)
            {
                // Under a MaxInputBytes past what one array holds: too large to read whole, not a store outage.
                throw new ImageRefusedException(SignedFileOutcome.WatermarkFailed, "too_large",
                    $"the file is {file.Length} bytes, over the largest file the engine can read whole ({MaxReadableBytes})");
            }

            var description = Describe(request, kind);
            var (outcome, variant) = await _queue.GetAsync(description.Key, token => RenderVariantAsync(request, description, token), cancellationToken).ConfigureAwait(false);
            if (outcome == RenderQueueOutcome.Busy || variant is null)
            {
                _metrics.Refused("busy");
                ImageSharpLog.QueueFull(_logger, request.Path);
                return VariantResult.Refused(SignedFileOutcome.WatermarkBusy, _options.RetryAfter);
            }

            if (outcome == RenderQueueOutcome.Rendered)
            {
                _metrics.CacheMiss();
            }
            else
            {
                _metrics.CacheHit();
            }

            return VariantResult.Rendered(variant.Content, variant.ContentType, description.ETag, variant.RenderedAt);
        }
        catch (ImageRefusedException e)
        {
            _metrics.Refused(e.Reason);
            ImageSharpLog.Refused(_logger, request.Path, e.Outcome == SignedFileOutcome.UnsupportedMediaType ? 415 : 422, e.Message, e.InnerException);
            return VariantResult.Refused(e.Outcome);
        }
        catch (StoreReadException e)
        {
            // The store failed while the file was read: the same answer as any store outage (503), never the bytes.
            _metrics.Refused("store_unavailable");
            ImageSharpLog.Refused(_logger, request.Path, 503, "the store could not be read", e.InnerException);
            return VariantResult.Refused(SignedFileOutcome.StoreUnavailable, TimeSpan.FromSeconds(1));
        }
        catch (SignedFileChangedException)
        {
            // The file changed or vanished while it was read: never half of two versions.
            _metrics.Refused("changed");
            return VariantResult.Refused(SignedFileOutcome.NotFound);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Fail closed: whatever else goes wrong, the answer is an error, never the original.
            _metrics.Refused("failed");
            ImageSharpLog.Refused(_logger, request.Path, 422, "the image could not be processed: " + e.GetType().Name, e);
            return VariantResult.Refused(SignedFileOutcome.WatermarkFailed);
        }
    }

    public void Dispose()
    {
        _queue.Dispose();
        _overlay?.Dispose();
    }

    private VariantDescription Describe(VariantRequest request, ContentKind kind)
    {
        var steps = new List<IVariantStep>(4) { OrientStep.Instance };
        if (request.Redactions is { Count: > 0 } regions)
        {
            steps.Add(new RedactStep(regions));
        }

        if (request.Text is { } text)
        {
            var resolved = _renderer.Resolve(text, request.FallbackText)
                ?? throw new ImageRefusedException(SignedFileOutcome.WatermarkFailed, "no_visible_text", "no available font can draw the stamp text or its fallback");
            steps.Add(new StampStep(resolved, _options.Opacity, _renderer, _overlay));
        }

        steps.Add(StripMetadataStep.Instance);
        var format = kind switch
        {
            ContentKind.Png => (SixLabors.ImageSharp.Formats.IImageFormat)SixLabors.ImageSharp.Formats.Png.PngFormat.Instance,
            ContentKind.Webp => SixLabors.ImageSharp.Formats.Webp.WebpFormat.Instance,
            _ => SixLabors.ImageSharp.Formats.Jpeg.JpegFormat.Instance,
        };
        return new VariantDescription(_folderName, request.Store, request.File, steps, new EncodeStep(format, _options.JpegQuality));
    }

    private async Task<RenderedVariant> RenderVariantAsync(VariantRequest request, VariantDescription description, CancellationToken cancellationToken)
    {
        var (buffer, length) = await FromStoreAsync(() => ReadAllAsync(request.Store, request.File, _sourceBuffers, cancellationToken)).ConfigureAwait(false);
        try
        {
            return RenderVariant(request, description, new ArraySegment<byte>(buffer, 0, length), cancellationToken);
        }
        finally
        {
            _sourceBuffers.Return(buffer);
        }
    }

    private RenderedVariant RenderVariant(VariantRequest request, VariantDescription description, ArraySegment<byte> data, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var plan = ImageDecoding.Plan(data, ImageLimits.From(_options));
        if (plan.Format != description.Encode.Format)
        {
            // The signature said one format and the decoder found another: nothing to trust.
            throw new ImageRefusedException(SignedFileOutcome.WatermarkFailed, "corrupt", "the image's signature and its header disagree");
        }

        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _decodes);
        var content = plan.HasAlpha
            ? Render<Rgba32>(data, description, _encodeBuffers, cancellationToken)
            : Render<Rgb24>(data, description, _encodeBuffers, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        _metrics.Rendered(elapsed);
        ImageSharpLog.Rendered(_logger, request.Path, content.Length, elapsed.TotalMilliseconds);
        return new RenderedVariant(content, description.Encode.ContentType, _time.GetUtcNow());
    }

    private static byte[] Render<TPixel>(ReadOnlySpan<byte> data, VariantDescription description, RecyclableMemoryStreamManager encodeBuffers, CancellationToken cancellationToken)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var image = ImageDecoding.Decode<TPixel>(data);
        if (image.Frames.Count > 1)
        {
            throw new ImageRefusedException(SignedFileOutcome.UnsupportedMediaType, "unsupported_media_type", "multi-frame images are not served (only one frame could be stamped)");
        }

        foreach (var step in description.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            step.Apply(image, data);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return description.Encode.Encode(image, encodeBuffers);
    }

    private static string VersionKey(SignedFileInfo file) => string.Join('\n', file.Path, file.Length.ToString(CultureInfo.InvariantCulture),
        file.LastModified.UtcTicks.ToString(CultureInfo.InvariantCulture), file.Version);

    /// <summary>
    /// What the file's first bytes are, remembered per file version: a request for a cached variant then
    /// touches the store not at all.
    /// </summary>
    private async ValueTask<(ContentKind Kind, byte[] Head)> SniffAsync(VariantRequest request, CancellationToken cancellationToken)
    {
        var key = VersionKey(request.File);
        if (_kinds.TryGetValue(key, out var known) && known != ContentKind.Other)
        {
            return (known, []);
        }

        var head = await FromStoreAsync(() => ReadHeadAsync(request.Store, request.File, cancellationToken)).ConfigureAwait(false);
        var kind = ContentSniffer.Sniff(head);
        if (_kinds.Count >= MaxRememberedClassifications)
        {
            _kinds.Clear();
        }

        _kinds[key] = kind;
        return (kind, head);
    }

    private async ValueTask<bool> IsAllowedNonImageAsync(VariantRequest request, CancellationToken cancellationToken)
    {
        var file = request.File;
        var key = VersionKey(file) + "\n" + request.ContentType;
        if (_nonImages.TryGetValue(key, out var allowed))
        {
            return allowed;
        }

        allowed = await FromStoreAsync(() => NonImageScanner.IsAllowedAsync(request.Store, file, request.ContentType, _options.MaxInputBytes, cancellationToken)).ConfigureAwait(false);
        if (_nonImages.Count >= MaxRememberedClassifications)
        {
            _nonImages.Clear();
        }

        _nonImages[key] = allowed;
        return allowed;
    }

    /// <summary>Runs a read of the store; its failures (other than a cancellation or a changed file) become <see cref="StoreReadException"/>.</summary>
    private static async Task<T> FromStoreAsync<T>(Func<ValueTask<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or SignedFileChangedException))
        {
            throw new StoreReadException(e);
        }
    }

    private static Task<T> FromStoreAsync<T>(Func<Task<T>> read) => FromStoreAsync(() => new ValueTask<T>(read()));

    private static async ValueTask<byte[]> ReadHeadAsync(ISignedFileStore store, SignedFileInfo file, CancellationToken cancellationToken)
    {
        var length = (int)Math.Min(ContentSniffer.HeadLength, file.Length);
        if (length == 0)
        {
            return [];
        }

        var head = new byte[length];
        await using var stream = await store.OpenReadAsync(file, 0, length, cancellationToken).ConfigureAwait(false);
        var read = await stream.ReadAtLeastAsync(head, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return read == length ? head : head[..read];
    }

    /// <summary>The whole file, in a buffer rented from <paramref name="pool"/> (the caller returns it).</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadAllAsync(ISignedFileStore store, SignedFileInfo file, ArrayPool<byte> pool, CancellationToken cancellationToken)
    {
        var length = checked((int)file.Length);
        // One byte more than described: a longer file means it changed while read.
        var buffer = pool.Rent(length + 1);
        try
        {
            await using var stream = await store.OpenReadAsync(file, 0, null, cancellationToken).ConfigureAwait(false);
            // Asked asynchronously: object-store streams refuse synchronous reads, and a blocking read would
            // hold a thread on network I/O anyway.
            var read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, length + 1), length + 1, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read != length)
            {
                throw new SignedFileChangedException();
            }

            return (buffer, length);
        }
        catch
        {
            pool.Return(buffer);
            throw;
        }
    }

    private sealed class StoreReadException(Exception inner) : Exception("The store could not be read.", inner);
}
