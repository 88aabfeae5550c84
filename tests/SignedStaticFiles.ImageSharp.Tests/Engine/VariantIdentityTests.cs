using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SignedStaticFiles.ImageSharp.Diagnostics;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.ImageSharp.Tests.Watermarking;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.ImageSharp.Tests.Engine;

/// <summary>
/// A variant's validators are its own: the strong ETag derives from its description (source version and
/// every step), its Last-Modified is when it was rendered; and the engine reports on its meter.
/// </summary>
public sealed class VariantIdentityTests
{
    [Fact]
    public async Task LastModified_IsTheRenderTime_NotTheSourceFileTime()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        var path = host.WriteFile("a.jpg", TestImages.Jpeg(300, 200));
        File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var renderedAt = host.Time.GetUtcNow();

        var url = host.Generator.GetSignedUrl("~/protected/a.jpg", new SignedUrlOptions { WatermarkText = "fixed {link}", Lifetime = TimeSpan.FromHours(1) });
        var first = await host.Client.GetAsync(url);
        host.Time.Advance(TimeSpan.FromMinutes(5));
        var cached = await host.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var lastModified = first.Content.Headers.LastModified;
        Assert.NotNull(lastModified);
        Assert.True(Math.Abs((lastModified.Value - renderedAt).TotalSeconds) < 1.5, $"Last-Modified {lastModified} is not the render time {renderedAt}");
        Assert.Equal(lastModified, cached.Content.Headers.LastModified); // the same variant, from the cache
    }

    [Fact]
    public async Task DateIfRange_NeverJoinsTwoRenders_ItGetsTheWholeVariant()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        host.WriteFile("a.jpg", TestImages.Jpeg(300, 200));
        var url = host.Generator.GetSignedUrl("~/protected/a.jpg");
        var full = await host.Client.GetAsync(url);
        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(0, 99);
        ranged.Headers.IfRange = new RangeConditionHeaderValue(full.Content.Headers.LastModified!.Value);
        var response = await host.Client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var byETag = new HttpRequestMessage(HttpMethod.Get, url);
        byETag.Headers.Range = new RangeHeaderValue(0, 99);
        byETag.Headers.IfRange = new RangeConditionHeaderValue(full.Headers.ETag!);
        Assert.Equal(HttpStatusCode.PartialContent, (await host.Client.SendAsync(byETag)).StatusCode);
    }

    [Fact]
    public void Description_NamesTheEngineTheSourceAndEveryStepInOrder()
    {
        using var engine = new EngineHarness();
        var stamped = engine.Process(TestImages.Jpeg(200, 100), "who", [new RedactionRegion(0, 0, 0.5, 0.5)]);
        Assert.StartsWith("\"v-", stamped.ETag, StringComparison.Ordinal);

        var description = typeof(SignedStaticFiles.ImageSharp.Engine.VariantDescription);
        Assert.Contains("SixLabors.ImageSharp/", SignedStaticFiles.ImageSharp.Engine.VariantDescription.Engine, StringComparison.Ordinal);
        Assert.Contains("SkiaSharp/", SignedStaticFiles.ImageSharp.Engine.VariantDescription.Engine, StringComparison.Ordinal);
        Assert.Contains("HarfBuzzSharp/", SignedStaticFiles.ImageSharp.Engine.VariantDescription.Engine, StringComparison.Ordinal);
        Assert.NotNull(description);
    }

    [Fact]
    public async Task Description_OtherFonts_GiveAnotherKey_SoTwoNodesNeverShareAnETagForDifferentBytes()
    {
        var root = Directory.CreateTempSubdirectory("desc-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(root, "a.jpg"), TestImages.Jpeg(50, 50));
            var store = new SignedStaticFiles.Stores.PhysicalFolderStore(new Microsoft.Extensions.FileProviders.PhysicalFileProvider(root), "s");
            var file = (await store.GetFileAsync("/a.jpg", CancellationToken.None))!;
            var renderer = EngineHarness.Renderer;
            var encode = new SignedStaticFiles.ImageSharp.Engine.EncodeStep(SixLabors.ImageSharp.Formats.Jpeg.JpegFormat.Instance, 85);
            string KeyWith(string fonts) => new SignedStaticFiles.ImageSharp.Engine.VariantDescription("", store, file,
                [new SignedStaticFiles.ImageSharp.Engine.StampStep(new SignedStaticFiles.ImageSharp.Text.StampText("王伟", fonts, false), 0.3f, renderer, null)], encode).Key;

            Assert.Equal(KeyWith("Noto Sans CJK JP/700/5/Upright/65535/1000/da13893f"), KeyWith("Noto Sans CJK JP/700/5/Upright/65535/1000/da13893f"));
            Assert.NotEqual(KeyWith("Noto Sans CJK JP/700/5/Upright/65535/1000/da13893f"), KeyWith("Noto Sans CJK SC/700/5/Upright/65535/1000/0badf00d"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Metrics_RenderDuration_CacheHitsAndMisses_RefusalsByReason_QueueDepth()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var duration = new MetricCollector<double>(meters, ImageSharpMetrics.MeterName, "signedstaticfiles.imagesharp.render.duration");
        using var hits = new MetricCollector<long>(meters, ImageSharpMetrics.MeterName, "signedstaticfiles.imagesharp.cache.hits");
        using var misses = new MetricCollector<long>(meters, ImageSharpMetrics.MeterName, "signedstaticfiles.imagesharp.cache.misses");
        using var refusals = new MetricCollector<long>(meters, ImageSharpMetrics.MeterName, "signedstaticfiles.imagesharp.refusals");
        using var depth = new MetricCollector<long>(meters, ImageSharpMetrics.MeterName, "signedstaticfiles.imagesharp.queue.depth");
        host.WriteFile("a.jpg", TestImages.Jpeg(300, 200));
        host.WriteFile("b.gif", TestImages.Gif());

        // One link, twice: the folder's template has {link} and {utc}, so another link is another variant.
        var url = host.Generator.GetSignedUrl("~/protected/a.jpg");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/b.gif"))).StatusCode);

        Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal(1, misses.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, hits.GetMeasurementSnapshot().EvaluateAsCounter());
        var refusal = Assert.Single(refusals.GetMeasurementSnapshot());
        Assert.Equal("unsupported_media_type", refusal.Tags["reason"]);
        depth.RecordObservableInstruments();
        Assert.Equal(0, depth.LastMeasurement?.Value);
    }
}
