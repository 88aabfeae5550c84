using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Stores;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Stores;

/// <summary>
/// The read stream of an object store fills the framework's copy buffer from the store's pieces: a store that
/// ends early still breaks the answer (the object promised its length), a store that stalls mid-body still fails
/// within the per-chunk deadline, and what it hands on is exactly the object's bytes, for whole files and ranges.
/// </summary>
public sealed class StoreReadStreamTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(4);

    private static byte[] Content(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + (i >> 8))).ToArray();

    private static SignedFileInfo Describe(byte[] content) =>
        new() { Path = "/doc.bin", Length = content.Length, LastModified = DateTimeOffset.UnixEpoch, Version = "v1" };

    [Theory]
    [InlineData(100_000, 100_000 - 1)]
    [InlineData(100_000, 10)]
    [InlineData(100_000, 65_536)]
    [InlineData(100_000, 0)]
    [InlineData(10, 9)]
    public async Task StoreEndingBeforeTheObjectsLength_Throws_NeverEndsTheBodyEarly(int length, int delivered)
    {
        var content = Content(length);
        var store = new PiecewiseStore(content) { Delivered = delivered };
        await using var stream = new StoreReadStream(store, Describe(content), planned: null, CancellationToken.None);
        var copy = new MemoryStream();

        var failure = await Record.ExceptionAsync(() => stream.CopyToAsync(copy));

        Assert.IsType<IOException>(failure);
        Assert.Equal(content[..delivered], copy.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1500)]
    public async Task SmallPieces_AreJoinedIntoWholeBuffers_OfExactlyTheObjectsBytes(int piece)
    {
        var content = Content(200_000);
        var store = new PiecewiseStore(content) { Piece = piece };
        await using var stream = new StoreReadStream(store, Describe(content), planned: null, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        var reads = new List<int>();
        var copy = new MemoryStream();
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            reads.Add(read);
            copy.Write(buffer, 0, read);
        }

        Assert.Equal(content, copy.ToArray());
        Assert.Equal([65_536, 65_536, 65_536, 200_000 - (3 * 65_536)], reads);
        Assert.Equal(1, stream.Opens);
    }

    [Theory]
    [InlineData(0L, 10L)]
    [InlineData(1000L, 70_000L)]
    [InlineData(199_990L, 10L)]
    public async Task PlannedRange_IsOneReadOfExactlyThoseBytes(long offset, long length)
    {
        var content = Content(200_000);
        var store = new PiecewiseStore(content) { Piece = 1000 };
        await using var stream = new StoreReadStream(store, Describe(content), (offset, length), CancellationToken.None);
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[length];

        await stream.ReadExactlyAsync(buffer);

        Assert.Equal(content.AsSpan((int)offset, (int)length).ToArray(), buffer);
        Assert.Equal(1, stream.Opens);
        Assert.Equal([(offset, (long?)length)], store.Opened);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StoreStallingInsideABuffer_FailsWithinTheChunkDeadline(bool ignoresCancellation)
    {
        var content = Content(200_000);
        var inner = new PiecewiseStore(content) { Piece = 1000, StallAt = 10_000, StallIgnoresCancellation = ignoresCancellation };
        var store = new CachedFileStore(inner, new SignedFileStoreOptions { Timeout = Deadline }, TimeProvider.System);
        await using var stream = new StoreReadStream(store, Describe(content), planned: null, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        var clock = Stopwatch.StartNew();

        var failure = await Record.ExceptionAsync(async () =>
        {
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        });

        Assert.IsType<TimeoutException>(failure);
        Assert.True(clock.Elapsed < Deadline + Slack, $"failed after {clock.Elapsed}");
        inner.Release();
    }

    /// <summary>
    /// End to end: a store that stalls before the first buffer is full never sends a byte, so the answer is a
    /// clean 503 within the deadline, and a single-use link, which delivered nothing, can still be used.
    /// </summary>
    [Fact]
    public async Task StoreStallingBeforeTheFirstBuffer_503WithinTheDeadline_SingleUseLinkStillUsable()
    {
        var content = Content(200_000);
        var inner = new PiecewiseStore(content) { Piece = 1000, StallAt = 10_000 };
        await using var host = await SignedHost.StartAsync(o => o.ServeUnknownFileTypes = true, b =>
            b.Services.AddSignedStaticFiles().ServeFromStore(_ => inner).ConfigureStore(o => o.Timeout = Deadline));
        var url = host.Generator.GetSignedUrl("/protected/doc.bin", new SignedUrlOptions { SingleUse = true });

        var clock = Stopwatch.StartNew();
        var stalled = await host.Client.GetAsync(url);
        var elapsed = clock.Elapsed;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, stalled.StatusCode);
        Assert.True(elapsed < Deadline + Slack, $"answered after {elapsed}");
        Assert.NotNull(stalled.Headers.RetryAfter);

        inner.StallAt = null;
        inner.Release();
        var served = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(content, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Gone, (await host.Client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task EndToEnd_WholeRangeAndHead_AreTheObjectsBytes()
    {
        var content = Content(150_000);
        var inner = new PiecewiseStore(content) { Piece = 999 };
        await using var host = await SignedHost.StartAsync(o => o.ServeUnknownFileTypes = true, b =>
            b.Services.AddSignedStaticFiles().ServeFromStore(_ => inner).ConfigureStore(o => o.Timeout = Deadline));
        var url = host.Generator.GetSignedUrl("/protected/doc.bin");

        Assert.Equal(content, await host.Client.GetByteArrayAsync(url));

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new(70_000, 139_999) } };
        var partial = await host.Client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(content[70_000..140_000], await partial.Content.ReadAsByteArrayAsync());

        inner.Opened.Clear();
        var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(content.Length, head.Content.Headers.ContentLength);
        Assert.Empty(inner.Opened);
    }

    /// <summary>An in-memory store that answers in pieces, and can end early or stall at a given byte.</summary>
    private sealed class PiecewiseStore(byte[] content) : ISignedFileStore
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Piece { get; set; } = 16 * 1024;
        public int? Delivered { get; set; }
        public int? StallAt { get; set; }
        public bool StallIgnoresCancellation { get; set; }
        public List<(long Offset, long? Length)> Opened { get; } = [];
        public string Scope => "piecewise";

        public void Release() => _released.TrySetResult();

        public ValueTask<SignedFileInfo?> GetFileAsync(string path, CancellationToken cancellationToken) =>
            ValueTask.FromResult<SignedFileInfo?>(path == "/doc.bin" ? Describe(content) : null);

        public ValueTask<Stream> OpenReadAsync(SignedFileInfo file, long offset, long? length, CancellationToken cancellationToken)
        {
            lock (Opened)
            {
                Opened.Add((offset, length));
            }

            var end = Math.Min(Delivered ?? content.Length, length is { } count ? offset + count : content.Length);
            return ValueTask.FromResult<Stream>(new Body(this, content, (int)offset, (int)end));
        }

        /// <summary>A store's body as the core's own streams are (read-only, asynchronous only), in pieces.</summary>
        private sealed class Body(PiecewiseStore store, byte[] content, int position, int end) : AsyncReadStream
        {
            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                await Task.Yield();
                if (store.StallAt is { } stall && position >= stall)
                {
                    await (store.StallIgnoresCancellation ? store._released.Task : store._released.Task.WaitAsync(cancellationToken));
                }

                var limit = store.StallAt is { } s && s > position ? Math.Min(end, s) : end;
                var n = Math.Min(Math.Min(buffer.Length, store.Piece), limit - position);
                if (n <= 0)
                {
                    return 0;
                }

                content.AsSpan(position, n).CopyTo(buffer.Span);
                position += n;
                return n;
            }
        }
    }
}
