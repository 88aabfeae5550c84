using System.Diagnostics.Metrics;

namespace SignedStaticFiles.ImageSharp.Diagnostics;

/// <summary>
/// The image engine's one <see cref="Meter"/> (<c>SignedStaticFiles.ImageSharp</c>): render duration, queue
/// depth, variant cache hits and misses, refusals by reason.
/// </summary>
internal sealed class ImageSharpMetrics
{
    public const string MeterName = "SignedStaticFiles.ImageSharp";

    private readonly Histogram<double> _renderDuration;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _refusals;
    private long _queueDepth;

    public ImageSharpMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _renderDuration = meter.CreateHistogram<double>(
            "signedstaticfiles.imagesharp.render.duration", "s", "Time to read, decode, transform and encode one variant.");
        meter.CreateObservableUpDownCounter(
            "signedstaticfiles.imagesharp.queue.depth", () => Interlocked.Read(ref _queueDepth), "{render}", "Renders running or waiting for a slot.");
        _cacheHits = meter.CreateCounter<long>(
            "signedstaticfiles.imagesharp.cache.hits", "{variant}", "Variants answered from the cache or joined to a render in flight.");
        _cacheMisses = meter.CreateCounter<long>(
            "signedstaticfiles.imagesharp.cache.misses", "{variant}", "Variants that had to be rendered.");
        _refusals = meter.CreateCounter<long>(
            "signedstaticfiles.imagesharp.refusals", "{request}", "Variant requests refused, by reason.");
    }

    public void Rendered(TimeSpan elapsed) => _renderDuration.Record(elapsed.TotalSeconds);

    public void QueueChanged(int delta) => Interlocked.Add(ref _queueDepth, delta);

    public void CacheHit() => _cacheHits.Add(1);

    public void CacheMiss() => _cacheMisses.Add(1);

    /// <summary>A refusal; <paramref name="reason"/> is a fixed snake_case word (unsupported_media_type, too_large, corrupt, busy, …).</summary>
    public void Refused(string reason) => _refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
