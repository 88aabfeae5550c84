using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.ImageSharp.Tests.Watermarking;

/// <summary>Bounded work: deduplication of identical requests, the queue bound, cancellation, the cache.</summary>
public sealed class WatermarkConcurrencyTests
{
    [Fact]
    public async Task SixtyFourIdenticalConcurrentRequests_DecodeOnce()
    {
        var renderer = new CountingRenderer(hold: true);
        await using var host = await ImageHost.StartAsync(
            o => o.Watermark.Mode = WatermarkMode.OnRequest,
            builder: b => b.Services.AddSingleton<SignedStaticFiles.ImageSharp.Text.IStampTextRenderer>(renderer));
        host.WriteFile("kyc/front.jpg", TestImages.Jpeg(800, 500));
        var service = host.Engine();

        // 64 different links (tokens) for the same variant: same file, same text.
        var urls = Enumerable.Range(0, 64)
            .Select(_ => host.Generator.GetSignedUrl("~/protected/kyc/front.jpg", new SignedUrlOptions { WatermarkText = "review" }))
            .ToArray();
        var requests = urls.Select(u => host.Client.GetAsync(u)).ToArray();
        await renderer.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300); // let every request reach the flight while the render is held
        renderer.Release();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsByteArrayAsync()));
        Assert.All(bodies, b => Assert.Equal(bodies[0], b));
        Assert.Equal(1, service.Decodes);
        Assert.Equal(1, renderer.Calls);
    }

    [Fact]
    public async Task PastTheQueueBound_Returns503WithRetryAfter()
    {
        var renderer = new CountingRenderer(hold: true);
        await using var host = await ImageHost.StartAsync(
            o =>
            {
                o.Watermark.Mode = WatermarkMode.OnRequest;
                o.Watermark.MaxConcurrency = 1;
                o.Watermark.QueueLength = 1;
                o.Watermark.RetryAfter = TimeSpan.FromSeconds(7);
            },
            builder: b => b.Services.AddSingleton<SignedStaticFiles.ImageSharp.Text.IStampTextRenderer>(renderer));
        host.WriteFile("kyc/front.jpg", TestImages.Jpeg(300, 200));
        string Url(string text) => host.Generator.GetSignedUrl("~/protected/kyc/front.jpg", new SignedUrlOptions { WatermarkText = text });

        var running = host.Client.GetAsync(Url("first"));
        await renderer.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = host.Client.GetAsync(Url("second"));
        await WaitUntil(() => host.Engine().Pending == 2);

        var refused = await host.Client.GetAsync(Url("third"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("7", Assert.Single(refused.Headers.GetValues("Retry-After")));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        renderer.Release();
        Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await queued).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(Url("third"))).StatusCode);
    }

    [Fact]
    public async Task ClientGoesAway_QueuedRenderIsCancelled_AndFreesItsSlot()
    {
        var renderer = new CountingRenderer(hold: true);
        await using var host = await ImageHost.StartAsync(
            o =>
            {
                o.Watermark.Mode = WatermarkMode.OnRequest;
                o.Watermark.MaxConcurrency = 1;
            },
            builder: b => b.Services.AddSingleton<SignedStaticFiles.ImageSharp.Text.IStampTextRenderer>(renderer));
        host.WriteFile("kyc/front.jpg", TestImages.Jpeg(300, 200));
        string Url(string text) => host.Generator.GetSignedUrl("~/protected/kyc/front.jpg", new SignedUrlOptions { WatermarkText = text });
        var service = host.Engine();

        var running = host.Client.GetAsync(Url("first"));
        await renderer.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        using var goingAway = new CancellationTokenSource();
        var abandoned = host.Client.GetAsync(Url("second"), goingAway.Token);
        await WaitUntil(() => service.Pending == 2);

        await goingAway.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await WaitUntil(() => service.Pending == 1);

        renderer.Release();
        Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
        Assert.Equal(1, service.Decodes); // the abandoned render never decoded
    }

    [Fact]
    public async Task CachedVariant_IsServedWithoutDecodingAgain()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        host.WriteFile("kyc/front.jpg", TestImages.Jpeg(300, 200));
        var service = host.Engine();
        var options = new SignedUrlOptions { WatermarkText = "same text" };

        var first = await host.Client.GetByteArrayAsync(host.Generator.GetSignedUrl("~/protected/kyc/front.jpg", options));
        var second = await host.Client.GetByteArrayAsync(host.Generator.GetSignedUrl("~/protected/kyc/front.jpg", options));

        Assert.Equal(first, second);
        Assert.Equal(1, service.Decodes);
    }

    [Fact]
    public async Task CacheDisabled_EveryRequestRenders()
    {
        await using var host = await ImageHost.StartAsync(o =>
        {
            o.Watermark.Mode = WatermarkMode.Always;
            o.Watermark.CacheSizeBytes = 0;
        });
        host.WriteFile("kyc/front.jpg", TestImages.Jpeg(300, 200));
        var url = host.Generator.GetSignedUrl("~/protected/kyc/front.jpg");
        await host.Client.GetByteArrayAsync(url);
        await host.Client.GetByteArrayAsync(url);
        Assert.Equal(2, host.Engine().Decodes);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in 30 s");
            await Task.Delay(10);
        }
    }
}
