using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using SignedStaticFiles.ImageSharp.Diagnostics;
using SignedStaticFiles.ImageSharp.Engine;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.ImageSharp.Tests.Watermarking;
using SignedStaticFiles.Stores;
using SignedStaticFiles.Variants;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Tests.Engine;

/// <summary>
/// The engine reads each source into a buffer rented from its own pool and encodes through pooled blocks: no
/// answer may ever hold a byte of another render's source or output (a pooled array is larger than the file it
/// holds and keeps what an earlier, different user's image left in it), a buffer is returned exactly once
/// whatever fails (a double return hands one array to two renders at once), and a file that changed while read is
/// never rendered from.
/// </summary>
public sealed class SourceBufferTests
{
    /// <summary>A noisy picture: its JPEG is large (hundreds of kilobytes), unlike the smooth test fields.</summary>
    private static byte[] NoisyJpeg(int width, int height, int seed)
    {
        var random = new Random(seed);
        using var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (ref var pixel in rows.GetRowSpan(y))
                {
                    pixel = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 255);
                }
            }
        });
        return TestImages.Jpeg(image);
    }

    /// <summary>The size of the array a pool rents for <paramref name="length"/> bytes (powers of two from 16).</summary>
    private static int Bucket(int length) => Math.Max(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)length));

    [Fact]
    public async Task TruncatedCopyOfTheLastImage_InTheSameRentedArray_IsJudgedOnItsOwnBytes()
    {
        // User A's large image, then user B's file: the first part of the very same bytes, cut where the array the
        // pool hands back still holds the rest of A's image. Read past B's length, the engine would render A.
        var big = NoisyJpeg(700, 500, seed: 1);
        var cut = (Bucket(big.Length + 1) / 2 + big.Length) / 2;
        Assert.Equal(Bucket(big.Length + 1), Bucket(cut + 1));
        var truncated = big[..cut];

        using var fresh = new ScriptedEngine();
        var expected = await fresh.RunAsync(truncated);

        using var engine = new ScriptedEngine();
        Assert.Equal(VariantResultKind.Rendered, (await engine.RunAsync(big)).Kind);
        var afterBig = await engine.RunAsync(truncated);

        Assert.Equal(expected.Kind, afterBig.Kind);
        Assert.Equal(expected.Outcome, afterBig.Outcome);
        Assert.Equal(expected.Content.ToArray(), afterBig.Content.ToArray());
    }

    [Fact]
    public async Task SmallImageAfterABigOne_IsByteForByteWhatAFreshEngineRenders()
    {
        var big = NoisyJpeg(700, 500, seed: 2);
        var small = TestImages.Jpeg(64, 48);

        using var fresh = new ScriptedEngine();
        var expected = (await fresh.RunAsync(small)).Content.ToArray();

        using var engine = new ScriptedEngine();
        await engine.RunAsync(big);
        var result = await engine.RunAsync(small);

        Assert.Equal(VariantResultKind.Rendered, result.Kind);
        Assert.Equal(expected, result.Content.ToArray());
        using var decoded = Image.Load<Rgba32>(result.Content.Span);
        Assert.Equal((64, 48), (decoded.Width, decoded.Height));
    }

    [Fact]
    public async Task EndToEnd_SmallImageAfterABigOne_BodyIsTheSmallVariant_OfItsDeclaredLength()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        host.WriteFile("big.jpg", NoisyJpeg(700, 500, seed: 3));
        host.WriteFile("small.jpg", TestImages.Jpeg(80, 60));

        var big = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/big.jpg"));
        Assert.Equal(HttpStatusCode.OK, big.StatusCode);
        var small = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/small.jpg"));

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        var body = await small.Content.ReadAsByteArrayAsync();
        Assert.Equal(small.Content.Headers.ContentLength, body.Length);
        using var decoded = Image.Load<Rgba32>(body);
        Assert.Equal((80, 60), (decoded.Width, decoded.Height));
    }

    public static TheoryData<string> Faults => new() { "grows", "shrinks", "empty-but-described", "throws-mid-read", "dispose-throws", "cancelled-mid-read", "corrupt" };

    /// <summary>
    /// Every way a read or a render can fail, then two renders whose reads both finish before either decodes: had
    /// the failure returned its array twice, the pool would hand that one array to both, and one answer would be
    /// the other's picture.
    /// </summary>
    [Theory]
    [MemberData(nameof(Faults))]
    public async Task AfterAFailedRead_TwoConcurrentRenders_EachGetTheirOwnImage(string fault)
    {
        var first = NoisyJpeg(300, 200, seed: 10);
        var second = NoisyJpeg(300, 200, seed: 11);
        Assert.Equal(Bucket(first.Length + 1), Bucket(second.Length + 1));
        using var reference = new ScriptedEngine();
        var expectedFirst = (await reference.RunAsync(first)).Content.ToArray();
        var expectedSecond = (await reference.RunAsync(second)).Content.ToArray();
        Assert.NotEqual(expectedFirst, expectedSecond);

        using var engine = new ScriptedEngine(maxConcurrency: 2);
        for (var round = 0; round < 3; round++)
        {
            var victim = NoisyJpeg(300, 200, seed: 20 + round);
            var failed = fault switch
            {
                "grows" => await engine.RunAsync(victim, s => s.Extra = 1),
                "shrinks" => await engine.RunAsync(victim, s => s.Missing = 1),
                "empty-but-described" => await engine.RunAsync(victim, s => s.Missing = victim.Length),
                "throws-mid-read" => await engine.RunAsync(victim, s => s.ThrowAt = victim.Length / 2),
                "dispose-throws" => await engine.RunAsync(victim, s => s.ThrowOnDispose = true),
                "cancelled-mid-read" => await engine.RunCancelledMidReadAsync(victim),
                "corrupt" => await engine.RunAsync(CorruptBody(victim)),
                _ => throw new ArgumentOutOfRangeException(nameof(fault)),
            };
            Assert.NotEqual(VariantResultKind.Rendered, failed?.Kind ?? VariantResultKind.Original);
            Assert.NotEqual(VariantResultKind.Original, failed?.Kind ?? VariantResultKind.Refused);
        }

        // Both reads complete before either render decodes.
        using var bothRead = new Barrier(2);
        var one = engine.RunAsync(first, s => s.AtEnd = () => bothRead.SignalAndWait(TimeSpan.FromSeconds(10)));
        var two = engine.RunAsync(second, s => s.AtEnd = () => bothRead.SignalAndWait(TimeSpan.FromSeconds(10)));
        var results = await Task.WhenAll(one, two);

        Assert.Equal(expectedFirst, results[0].Content.ToArray());
        Assert.Equal(expectedSecond, results[1].Content.ToArray());
    }

    [Fact]
    public async Task ConcurrentRendersOfDifferentFiles_EachAnswerIsItsOwnFile()
    {
        var sources = Enumerable.Range(0, 6).Select(i => i % 2 == 0 ? NoisyJpeg(200 + (i * 20), 150, seed: 100 + i) : TestImages.Jpeg(50 + i, 40 + i)).ToArray();
        using var reference = new ScriptedEngine();
        var expected = new List<byte[]>();
        foreach (var source in sources)
        {
            expected.Add((await reference.RunAsync(source)).Content.ToArray());
        }

        using var engine = new ScriptedEngine(maxConcurrency: 4, cache: false);
        for (var round = 0; round < 4; round++)
        {
            var results = await Task.WhenAll(sources.Select((s, i) => Task.Run(() => engine.RunAsync(s, name: $"r{round}-{i}"))));
            for (var i = 0; i < sources.Length; i++)
            {
                Assert.Equal(expected[i], results[i].Content.ToArray());
            }
        }
    }

    [Fact]
    public async Task ZeroLengthFile_IsNeverRenderedNorAnImage()
    {
        using var engine = new ScriptedEngine();
        var result = await engine.RunAsync([]);
        Assert.NotEqual(VariantResultKind.Rendered, result.Kind);
        Assert.True(result.Content.IsEmpty);
    }

    /// <summary>The validator accepts any positive <see cref="WatermarkOptions.MaxInputBytes"/>: "no limit" must not stop the engine.</summary>
    [Theory]
    [InlineData(int.MaxValue - 1L, 2)]
    [InlineData((long)int.MaxValue, 2)]
    [InlineData(int.MaxValue + 1L, 2)]
    [InlineData(long.MaxValue / 2, 2)]
    [InlineData(long.MaxValue / 2, 8)]
    [InlineData(long.MaxValue, 1)]
    [InlineData(long.MaxValue, 64)]
    public async Task MaxInputBytes_AnyPositiveValue_StillRendersASmallImage(long maxInputBytes, int maxConcurrency)
    {
        using var engine = new ScriptedEngine(maxConcurrency, maxInputBytes: maxInputBytes);
        var result = await engine.RunAsync(TestImages.Jpeg(64, 48));
        Assert.Equal(VariantResultKind.Rendered, result.Kind);
    }

    [Theory]
    [InlineData(0x7FFFFFC7L)] // Array.MaxLength: length + 1 bytes cannot be held in one array
    [InlineData((long)int.MaxValue)]
    [InlineData(int.MaxValue + 1L)]
    [InlineData(3L * 1024 * 1024 * 1024)]
    public async Task FileLargerThanAnArrayCanHold_UnderAnUnboundedMaxInputBytes_IsRefusedAsTooLarge_NotAStoreOutage(long length)
    {
        using var engine = new ScriptedEngine(maxInputBytes: long.MaxValue);
        var jpeg = TestImages.Jpeg(64, 48);
        var result = await engine.RunAsync(jpeg, s => s.DescribedLength = length);
        Assert.Equal(VariantResultKind.Refused, result.Kind);
        Assert.Equal(SignedFileOutcome.WatermarkFailed, result.Outcome);
    }

    private static byte[] CorruptBody(byte[] jpeg)
    {
        var copy = jpeg.ToArray();
        // Keep the signature and the header; scramble the entropy-coded data and drop the end.
        for (var i = copy.Length / 3; i < copy.Length; i++)
        {
            copy[i] = 0xFF;
        }

        return copy;
    }

    /// <summary>One engine over an in-memory store whose full reads can be scripted per file.</summary>
    private sealed class ScriptedEngine : IDisposable
    {
        private readonly ImageVariantEngine _engine;
        private readonly WatermarkOptions _options;
        private int _files;

        public ScriptedEngine(int maxConcurrency = 2, long maxInputBytes = 25L * 1024 * 1024, bool cache = true)
        {
            _options = new WatermarkOptions { MaxConcurrency = maxConcurrency, MaxInputBytes = maxInputBytes, Mode = WatermarkMode.Always };
            if (!cache)
            {
                _options.CacheSizeBytes = 0;
            }

            _engine = new ImageVariantEngine("", _options, Path.GetTempPath(), EngineHarness.Renderer,
                new ImageSharpMetrics(new NoMeters()), TimeProvider.System, NullLoggerFactory.Instance);
        }

        public async Task<VariantResult> RunAsync(byte[] content, Action<Script>? script = null, string? name = null, CancellationToken cancellationToken = default)
        {
            var store = new ScriptedStore(content, name ?? "f" + Interlocked.Increment(ref _files));
            script?.Invoke(store.Script);
            var file = new SignedFileInfo
            {
                Path = "/" + store.Name + ".jpg",
                Length = store.Script.DescribedLength ?? content.Length,
                LastModified = DateTimeOffset.UnixEpoch,
                Version = store.Name,
            };
            return await _engine.RenderAsync(new VariantRequest
            {
                FolderName = "",
                Path = "/protected" + file.Path,
                Store = store,
                File = file,
                Required = true,
                Options = _options,
            }, cancellationToken);
        }

        /// <summary>Cancels the request while the full read waits for more bytes; null when it threw as cancelled.</summary>
        public async Task<VariantResult?> RunCancelledMidReadAsync(byte[] content)
        {
            using var cancel = new CancellationTokenSource();
            try
            {
                return await RunAsync(content, s => { s.StallAt = content.Length / 2; s.OnStall = cancel.Cancel; }, cancellationToken: cancel.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        public void Dispose() => _engine.Dispose();
    }

    private sealed class Script
    {
        public long? DescribedLength { get; set; }
        public int Extra { get; set; }
        public int Missing { get; set; }
        public int? ThrowAt { get; set; }
        public int? StallAt { get; set; }
        public Action? OnStall { get; set; }
        public bool ThrowOnDispose { get; set; }
        public Action? AtEnd { get; set; }
    }

    private sealed class ScriptedStore(byte[] content, string name) : ISignedFileStore
    {
        public string Name { get; } = name;
        public Script Script { get; } = new();
        public string Scope => "scripted";

        public ValueTask<SignedFileInfo?> GetFileAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<Stream> OpenReadAsync(SignedFileInfo file, long offset, long? length, CancellationToken cancellationToken)
        {
            if (length is { } count)
            {
                // The content sniff: the first bytes, unscripted.
                var end = (int)Math.Min(content.Length, offset + count);
                return ValueTask.FromResult<Stream>(new MemoryStream(content, (int)offset, end - (int)offset, writable: false));
            }

            var body = content.AsSpan(0, content.Length - Script.Missing).ToArray().Concat(new byte[Script.Extra]).ToArray();
            return ValueTask.FromResult<Stream>(new ScriptedStream(body, Script));
        }
    }

    /// <summary>A store's body as the core's own streams are (read-only, asynchronous only), following <see cref="Script"/>.</summary>
    private sealed class ScriptedStream(byte[] body, Script script) : AsyncReadStream
    {
        private int _position;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            if (script.StallAt is { } stall && _position >= stall)
            {
                script.OnStall?.Invoke();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (script.ThrowAt is { } at && _position >= at)
            {
                throw new IOException("the store broke mid-read");
            }

            if (_position == body.Length)
            {
                script.AtEnd?.Invoke();
                return 0;
            }

            var limit = body.Length;
            limit = script.StallAt is { } s && s > _position ? Math.Min(limit, s) : limit;
            limit = script.ThrowAt is { } t && t > _position ? Math.Min(limit, t) : limit;
            var n = Math.Min(Math.Min(buffer.Length, 16 * 1024), limit - _position);
            body.AsSpan(_position, n).CopyTo(buffer.Span);
            _position += n;
            return n;
        }

        public override ValueTask DisposeAsync() => script.ThrowOnDispose ? throw new IOException("dispose failed") : base.DisposeAsync();
    }

    private sealed class NoMeters : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);
        public void Dispose() { }
    }
}
