using System.Diagnostics;
using System.Net;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.ImageSharp.Tests.Watermarking;

/// <summary>
/// T8: image bombs, oversize, truncated and mislabelled images in a watermarked folder. Each is refused
/// with a problem+json error, quickly, with bounded memory, and never with the original bytes.
/// Not run in parallel with other tests, so that the memory figures are this test's own.
/// </summary>
[Collection(nameof(WatermarkSafetyTests))]
[CollectionDefinition(nameof(WatermarkSafetyTests), DisableParallelization = true)]
public sealed class WatermarkSafetyTests
{
    private const long MaxInputBytes = 2 * 1024 * 1024;

    // v2: a format the engine cannot stamp is 415 (unsupported media type), whatever its name; a stampable
    // format that cannot be processed (bomb, truncated, corrupt, over a cap) stays 422.
    public static TheoryData<string, string, int> Corpus() => new()
    {
        { "bomb.png", "a 50,000 × 50,000 PNG of a few KB", 422 },
        { "truncated.jpg", "a JPEG cut in the middle of its scan", 422 },
        { "tiff.jpg", "a TIFF renamed .jpg", 415 },
        { "gif.jpg", "a GIF renamed .jpg", 415 },
        { "empty.jpg", "a 0-byte .jpg", 415 },
        { "huge.jpg", "a JPEG over the byte cap", 422 },
        { "garbage.jpg", "random bytes named .jpg", 422 },
        { "header-only.png", "a PNG signature and nothing else", 422 },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task BadImage_InAlwaysFolder_IsRefusedQuicklyWithBoundedMemory_NeverTheOriginal(string name, string description, int status)
    {
        await using var host = await ImageHost.StartAsync(o =>
        {
            o.Watermark.Mode = WatermarkMode.Always;
            o.Watermark.MaxInputBytes = MaxInputBytes;
        });
        var original = Create(name);
        host.WriteFile("t8/" + name, original);
        host.WriteFile("t8/warm.jpg", TestImages.Jpeg(64, 64));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/t8/warm.jpg"))).StatusCode);

        var url = host.Generator.GetSignedUrl("~/protected/t8/" + name);
        ForceFullCollection();
        var workingSet = Process.GetCurrentProcess().WorkingSet64;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();

        var response = await host.Client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();

        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocatedDelta = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        ForceFullCollection();
        var workingSetDelta = Process.GetCurrentProcess().WorkingSet64 - workingSet;

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(original, body);
        Assert.Equal(-1, body.AsSpan().IndexOf("Exception"u8));
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"{description}: answered in {elapsed.TotalMilliseconds:0} ms");
        Assert.True(allocatedDelta < 100L * 1024 * 1024, $"{description}: allocated {allocatedDelta / 1048576} MB");
        Assert.True(workingSetDelta < 100L * 1024 * 1024, $"{description}: working set grew {workingSetDelta / 1048576} MB");
    }

    [Fact]
    public async Task BadImage_IsRefusedAgainOnEveryRequest_NothingIsCachedAsServed()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        host.WriteFile("t8/truncated.jpg", Create("truncated.jpg"));
        var url = host.Generator.GetSignedUrl("~/protected/t8/truncated.jpg");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await host.Client.GetAsync(url)).StatusCode);
        }
    }

    [Fact]
    public async Task UnstampableFormat_OnRequestLinkWithText_Returns415_OnRequestLinkWithoutText_ServesTheFile()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.OnRequest);
        var tiff = TestImages.Tiff();
        host.WriteFile("t8/scan.jpg", tiff);

        var stamped = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/t8/scan.jpg", new SignedUrlOptions { WatermarkText = "x" }));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, stamped.StatusCode);
        Assert.NotEqual(tiff, await stamped.Content.ReadAsByteArrayAsync());

        var plain = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/t8/scan.jpg"));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    [Fact]
    public async Task SvgInAlwaysFolder_IsRefused_NotServedUnstamped()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        host.WriteFile("t8/card.svg", "<svg xmlns='http://www.w3.org/2000/svg'><text>ID</text></svg>");
        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/t8/card.svg"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task ImageOverMegapixelCap_Returns422_WithoutDecoding()
    {
        await using var host = await ImageHost.StartAsync(o =>
        {
            o.Watermark.Mode = WatermarkMode.Always;
            o.Watermark.MaxMegapixels = 0.1;
        });
        host.WriteFile("t8/big.jpg", TestImages.Jpeg(400, 300)); // 0.12 MP
        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/t8/big.jpg"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(0, host.Engine().Decodes);
    }

    private static byte[] Create(string name) => name switch
    {
        "bomb.png" => TestImages.PngBomb(),
        "truncated.jpg" => TestImages.Jpeg(800, 600)[..20_000],
        "tiff.jpg" => TestImages.Tiff(),
        "gif.jpg" => TestImages.Gif(),
        "empty.jpg" => [],
        "huge.jpg" => Oversized(),
        "garbage.jpg" => [0xFF, 0xD8, 0xFF, 0xE0, .. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251))],
        "header-only.png" => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] Oversized()
    {
        // A valid JPEG padded past the cap with a trailing comment-free tail.
        var jpeg = TestImages.Jpeg(200, 200);
        var padded = new byte[MaxInputBytes + 1];
        jpeg.CopyTo(padded, 0);
        return padded;
    }

    private static void ForceFullCollection()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
