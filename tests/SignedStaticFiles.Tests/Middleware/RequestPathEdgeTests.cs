using Microsoft.AspNetCore.Builder;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Middleware;

/// <summary>
/// The edges of the request path's fast steps (the cache of validated tokens, the alphabet checked on a miss only, the
/// one async step around the framework's send, a safe path joined to the root, the duration clock read only for a
/// listener): each test states a promise that must hold whatever those steps skip.
/// </summary>
public sealed class RequestPathEdgeTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static (string Url, string Prefix, string Token) Split(string url)
    {
        var at = url.IndexOf("token=", StringComparison.Ordinal) + "token=".Length;
        var end = url.IndexOf('&', at);
        return end < 0 ? (url, url[..at], url[at..]) : throw new InvalidOperationException("token not last");
    }

    /// <summary>
    /// A link to a 5-byte file that the cache of validated tokens remembers: a token is admitted on its second
    /// validation, and the third request is served from the cache.
    /// </summary>
    private static async Task<(string Url, string Prefix, string Token)> RememberedLinkAsync(SignedHost host)
    {
        host.WriteFile("a.txt", "hello");
        var (url, prefix, token) = Split(host.Generator.GetSignedUrl("/protected/a.txt"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        }

        return (url, prefix, token);
    }

    /// <summary>T18: a token has one spelling. Base64url's last character may carry unused bits; a decoder that ignores them gives several spellings.</summary>
    [Fact]
    public async Task GenuineToken_WithTheUnusedBitsOfItsLastCharacterSet_Is403()
    {
        await using var host = await SignedHost.StartAsync();
        string? url = null;
        for (var i = 0; url is null || Split(url).Token.Length % 4 == 0; i++)
        {
            host.WriteFile($"f{i}.txt", "x");
            url = host.Generator.GetSignedUrl($"/protected/f{i}.txt");
        }

        var (_, prefix, token) = Split(url);
        var last = Alphabet.IndexOf(token[^1], StringComparison.Ordinal);
        var unusedBits = token.Length % 4 == 2 ? 4 : 2;
        Assert.Equal(0, last & ((1 << unusedBits) - 1));
        var variant = prefix + token[..^1] + Alphabet[last | 1];

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.GetAsync(variant)).StatusCode);
    }

    public static TheoryData<string, int> Insertions()
    {
        var data = new TheoryData<string, int>();
        foreach (var insert in new[] { "%20", "%0A", "+", "%2B", "%3D", "=", "%2F", "%00", "%C2%A0", "%09" })
        {
            foreach (var position in new[] { 0, 7, -1, -16 })
            {
                data.Add(insert, position);
            }
        }

        return data;
    }

    /// <summary>The alphabet is checked on a miss only: a token remembered by the cache, with a character inserted, is still refused.</summary>
    [Theory]
    [MemberData(nameof(Insertions))]
    public async Task RememberedToken_WithAnInsertedCharacter_Is403(string insert, int position)
    {
        await using var host = await SignedHost.StartAsync();
        var (url, prefix, token) = await RememberedLinkAsync(host);

        var at = position < 0 ? token.Length + position + 1 : position;
        using var response = await host.Client.GetAsync(prefix + token[..at] + insert + token[at..]);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
    }

    /// <summary>A token that only shares the remembered token's tail (its last 32 characters) is refused and evicts nothing.</summary>
    [Fact]
    public async Task TokenSharingTheTailOfARememberedOne_Is403()
    {
        await using var host = await SignedHost.StartAsync();
        var (url, prefix, token) = await RememberedLinkAsync(host);

        foreach (var forged in new[] { token[^32..], "A" + token[^32..], token[1..], new string('A', token.Length - 32) + token[^32..], token[..^33] + token[^32..] })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.GetAsync(prefix + forged)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
    }

    /// <summary>A download name is never on a refusal: single use already used (GET and HEAD), missing file, expired.</summary>
    [Fact]
    public async Task DownloadName_NeverOnARefusal()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "hello");
        var once = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { SingleUse = true, DownloadFileName = "x.txt" });
        using (var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, once)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.NotNull(head.Content.Headers.ContentDisposition);
        }

        using (var first = await host.Client.GetAsync(once))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.NotNull(first.Content.Headers.ContentDisposition);
        }

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var again = await host.Client.SendAsync(new HttpRequestMessage(method, once));
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
            Assert.Null(again.Content.Headers.ContentDisposition);
        }

        var missing = host.Generator.GetSignedUrl("/protected/missing.txt", new SignedUrlOptions { DownloadFileName = "x.txt" });
        var missingOnce = host.Generator.GetSignedUrl("/protected/missing.txt", new SignedUrlOptions { DownloadFileName = "x.txt", SingleUse = true });
        foreach (var u in new[] { missing, missing, missing, missingOnce })
        {
            using var r = await host.Client.GetAsync(u);
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Null(r.Content.Headers.ContentDisposition);
        }

        var expiring = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { DownloadFileName = "x.txt", Lifetime = TimeSpan.FromSeconds(1) });
        host.Time.Advance(TimeSpan.FromSeconds(2));
        using (var gone = await host.Client.GetAsync(expiring))
        {
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
            Assert.Null(gone.Content.Headers.ContentDisposition);
        }
    }

    /// <summary>A file sender that throws (a disk error mid-file): the audit never records a delivery, one event, and a single-use link stays usable.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FileSenderThrows_EventSaysAborted_Once(bool singleUse)
    {
        var events = new List<SignedFileOutcome>();
        var provider = new ThrowingProvider();
        await using var host = await SignedHost.StartAsync(o =>
        {
            o.FileProvider = provider;
            o.Events.OnServed = e => { events.Add(e.Outcome); return Task.CompletedTask; };
            o.Events.OnRejected = e => { events.Add(e.Outcome); return Task.CompletedTask; };
        });
        var url = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { SingleUse = singleUse });

        await Assert.ThrowsAnyAsync<Exception>(() => host.Client.GetAsync(url));
        Assert.Equal([SignedFileOutcome.Aborted], events);
        if (singleUse)
        {
            provider.Throw = false;
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        }
    }

    /// <summary>A listener that arrives while requests run sees every later request's duration, and no request fails.</summary>
    [Fact]
    public async Task MeterListenerAttachedBetweenRequests_RecordsLaterDurations()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        using var durations = new MetricCollector<double>(factory, "SignedStaticFiles", "signedstaticfiles.request.duration");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        Assert.Single(durations.GetMeasurementSnapshot());
        Assert.True(durations.GetMeasurementSnapshot()[0].Value > 0);
    }

    /// <summary>A folder over a custom store still goes through the store branch: 200, a range, 404 without the download name, the same events.</summary>
    [Fact]
    public async Task CustomStoreFolder_IsServedByTheStoreBranch()
    {
        var store = new MemoryStore();
        var events = new List<SignedFileOutcome>();
        await using var host = await SignedHost.StartAsync(builder: b => b.Services.AddSignedStaticFiles("mem", o =>
        {
            o.RequestPath = "/mem";
            o.Events.OnServed = e => { events.Add(e.Outcome); return Task.CompletedTask; };
            o.Events.OnRejected = e => { events.Add(e.Outcome); return Task.CompletedTask; };
        }).ServeFromStore(_ => store));
        var url = host.Generator.GetSignedUrl("/mem/a.txt", new SignedUrlOptions { DownloadFileName = "x.txt" });
        for (var i = 0; i < 3; i++)
        {
            using var r = await host.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("hello", await r.Content.ReadAsStringAsync());
            Assert.NotNull(r.Content.Headers.ContentDisposition);
        }

        using (var ranged = new HttpRequestMessage(HttpMethod.Get, url))
        {
            ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1, 2);
            using var r = await host.Client.SendAsync(ranged);
            Assert.Equal(HttpStatusCode.PartialContent, r.StatusCode);
            Assert.Equal("el", await r.Content.ReadAsStringAsync());
        }

        using (var missing = await host.Client.GetAsync(host.Generator.GetSignedUrl("/mem/b.txt", new SignedUrlOptions { DownloadFileName = "x.txt" })))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Null(missing.Content.Headers.ContentDisposition);
        }

        Assert.True(store.Opens >= 4);
        Assert.Equal([.. Enumerable.Repeat(SignedFileOutcome.Served, 4), SignedFileOutcome.NotFound], events);
    }

    /// <summary>A client that goes away mid-body on a plain link: the audit says Aborted, not Served.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClientAbortMidBody_IsAudited_AsAborted(bool endpointForm)
    {
        var events = new List<SignedFileOutcome>();
        var done = new TaskCompletionSource();
        await using var host = await SignedHost.StartAsync(
            o =>
            {
                o.Events.OnServed = e => { lock (events) { events.Add(e.Outcome); } done.TrySetResult(); return Task.CompletedTask; };
                o.Events.OnRejected = e => { lock (events) { events.Add(e.Outcome); } done.TrySetResult(); return Task.CompletedTask; };
            },
            pipeline: endpointForm ? app => app.MapSignedStaticFiles() : (Action<Microsoft.AspNetCore.Builder.WebApplication>?)(app => app.UseSignedStaticFiles()));
        host.WriteFile("big.bin", new byte[32 * 1024 * 1024]);
        var url = host.Generator.GetSignedUrl("/protected/big.bin");
        using (var cts = new CancellationTokenSource())
        {
            var response = await host.Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            await stream.ReadExactlyAsync(new byte[1024], cts.Token);
            cts.Cancel();
            response.Dispose();
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([SignedFileOutcome.Aborted], events);
    }

    private sealed class MemoryStore : SignedStaticFiles.Stores.ISignedFileStore
    {
        public int Opens;

        public string Scope => "memory:test";

        public ValueTask<SignedStaticFiles.Stores.SignedFileInfo?> GetFileAsync(string path, CancellationToken cancellationToken) =>
            ValueTask.FromResult(path == "/a.txt"
                ? new SignedStaticFiles.Stores.SignedFileInfo { Path = path, Length = 5, LastModified = DateTimeOffset.UnixEpoch, Version = "\"v1\"" }
                : null);

        public ValueTask<Stream> OpenReadAsync(SignedStaticFiles.Stores.SignedFileInfo file, long offset, long? length, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Opens);
            var bytes = "hello"u8.ToArray();
            return ValueTask.FromResult<Stream>(new MemoryStream(bytes, (int)offset, (int)(length ?? bytes.Length - offset)));
        }
    }

    /// <summary>Tokens of every length around the 32 hashed characters, genuine alphabet or not: 403, never an exception.</summary>
    [Fact]
    public async Task ShortAndOddTokens_Are403()
    {
        await using var host = await SignedHost.StartAsync();
        var (url, prefix, token) = await RememberedLinkAsync(host);

        for (var length = 1; length <= 40; length++)
        {
            foreach (var candidate in new[] { token[..length], token[^length..], new string('A', length), new string('%', length).Replace("%", "%20") })
            {
                using var r = await host.Client.GetAsync(prefix + candidate);
                Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            }
        }
    }

    /// <summary>The root spelled with a trailing separator, a dot segment or a doubled separator: same files, same physical paths.</summary>
    [Theory]
    [InlineData("/")]
    [InlineData("/./")]
    [InlineData("//")]
    [InlineData("/x/..")]
    public void RootSpellings_FindTheSameFiles(string suffix)
    {
        var root = Directory.CreateTempSubdirectory("ssf-rootspell-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "x"));
            Directory.CreateDirectory(Path.Combine(root, "d"));
            File.WriteAllText(Path.Combine(root, "a.txt"), "a");
            File.WriteAllText(Path.Combine(root, "d", "b.txt"), "b");
            using var provider = new SignedStaticFiles.Serving.RootedFileProvider(root + suffix);
            using var framework = new PhysicalFileProvider(root + suffix);
            foreach (var subpath in new[] { "/a.txt", "/d/b.txt", "/x", "/missing" })
            {
                var expected = framework.GetFileInfo(subpath);
                var actual = provider.GetFileInfo(subpath);
                Assert.Equal(expected.Exists && !expected.IsDirectory, actual.Exists);
                if (actual.Exists)
                {
                    Assert.Equal(expected.PhysicalPath, actual.PhysicalPath);
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A listener attached in the middle of a request: that request records no (absurd) duration, and later ones do.</summary>
    [Fact]
    public async Task MeterListenerAttachedMidRequest_NoAbsurdDuration()
    {
        MetricCollector<double>? durations = null;
        IMeterFactory? factory = null;
        var provider = new ThrowingProvider { Throw = false, OnOpen = () => durations ??= new MetricCollector<double>(factory!, "SignedStaticFiles", "signedstaticfiles.request.duration") };
        await using var host = await SignedHost.StartAsync(o => o.FileProvider = provider);
        factory = host.Services.GetRequiredService<IMeterFactory>();
        var url = host.Generator.GetSignedUrl("/protected/a.txt");

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        Assert.NotNull(durations);
        Assert.All(durations.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 60));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        Assert.NotEmpty(durations.GetMeasurementSnapshot());
        Assert.All(durations.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 60));
        durations.Dispose();
    }

    private sealed class ThrowingProvider : IFileProvider
    {
        public bool Throw { get; set; } = true;

        public Action? OnOpen { get; set; }

        public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

        public IFileInfo GetFileInfo(string subpath) => subpath == "/a.txt" ? new File(this) : new NotFoundFileInfo(subpath);

        public IChangeToken Watch(string filter) => Microsoft.Extensions.FileProviders.NullChangeToken.Singleton;

        private sealed class File(ThrowingProvider owner) : IFileInfo
        {
            public bool Exists => true;
            public long Length => 5;
            public string? PhysicalPath => null;
            public string Name => "a.txt";
            public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;
            public bool IsDirectory => false;

            public Stream CreateReadStream()
            {
                owner.OnOpen?.Invoke();
                return owner.Throw ? throw new IOException("disk") : new MemoryStream("hello"u8.ToArray());
            }
        }
    }
}
