using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignedStaticFiles.Stores;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.StoreTesting;

/// <summary>
/// How a folder served from a store behaves beyond the conformance table, against a real server: object keys,
/// missing files and prefixes, ranged reads of exactly the bytes asked, the metadata cache and its freshness
/// rules, two nodes over one bucket, link scope, single use, eviction and health. Each store's test project
/// runs this suite over its own server (a fresh bucket or container per test).
/// </summary>
public abstract class StoreServingTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected ITestStore Store { get; private set; } = null!;

    /// <summary>A fresh bucket or container on the shared server.</summary>
    protected abstract Task<ITestStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await Store.DisposeAsync();
    }

    private protected async Task<SignedHost> StartHostAsync(
        ITestStore? store = null, Action<SignedStaticFilesOptions>? configure = null, Action<WebApplicationBuilder>? builder = null, string? contentRoot = null)
    {
        var host = await SignedHost.StartAsync(configure, b =>
        {
            (store ?? Store).Serve(b.Services.AddSignedStaticFiles());
            builder?.Invoke(b);
        }, contentRoot: contentRoot);
        _owned.Add(host);
        return host;
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    // --- Keys: the same path rules as the local folder; unusual characters round-trip -------------------

    [Theory]
    [InlineData("with space.txt")]
    [InlineData("plus+sign.txt")]
    [InlineData("100%.txt")]
    [InlineData("%41%2F.txt")]
    [InlineData("amp&eq=semi;.txt")]
    [InlineData("café/日本語 ü.txt")]
    public async Task Key_WithUnusualCharacters_RoundTrips(string name)
    {
        var content = System.Text.Encoding.UTF8.GetBytes("content of " + name);
        await Store.PutAsync(name, content);
        var host = await StartHostAsync();

        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/" + name));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Keys_ThatAServerCouldConfuse_AreEachTheirOwnFile()
    {
        // '+' is a space in form encoding, and "%41" decodes to "A": each name must reach its own object.
        string[] names = ["a+b.txt", "a b.txt", "%41.txt", "A.txt"];
        foreach (var name in names)
        {
            await Store.PutAsync(name, System.Text.Encoding.UTF8.GetBytes(name));
        }

        var host = await StartHostAsync();
        foreach (var name in names)
        {
            var body = await host.Client.GetStringAsync(host.Generator.GetSignedUrl("/protected/" + name));
            Assert.Equal(name, body);
        }
    }

    [Fact]
    public async Task MissingObject_Returns404()
    {
        var host = await StartHostAsync();

        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/nothing-here.txt"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task DirectoryPrefix_Returns404()
    {
        await Store.PutAsync("dir/inner.txt", [1, 2, 3]);
        var host = await StartHostAsync();

        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/dir"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ObjectOutsideThePrefix_IsNotServed()
    {
        await Store.PutOutsidePrefixAsync("secret.txt", [1, 2, 3]);
        var host = await StartHostAsync();

        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/secret.txt"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    // --- Ranges: only the bytes asked for leave the store ---------------------------------------------

    [Fact]
    public async Task Range_IsOneRangedReadOfExactlyThoseBytes()
    {
        var content = Bytes(1024 * 1024, 1);
        await Store.PutAsync("big.bin", content);
        var host = await StartHostAsync(configure: o => o.ServeUnknownFileTypes = true);
        var url = host.Generator.GetSignedUrl("/protected/big.bin");
        Store.Requests.Clear();

        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(1000, 2023) } };
        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content.AsSpan(1000, 1024).ToArray(), await response.Content.ReadAsByteArrayAsync());
        var reads = Store.Requests.Entries.Where(e => e.Method == "GET").ToList();
        var read = Assert.Single(reads);
        Assert.Equal("bytes=1000-2023", read.Range);
        Assert.Equal(1024, read.ContentLength);
        Assert.NotNull(read.IfMatch);
    }

    [Fact]
    public async Task SuffixRange_IsResolvedToOffsetsBeforeAskingTheStore()
    {
        var content = Bytes(10_000, 2);
        await Store.PutAsync("suffix.bin", content);
        var host = await StartHostAsync(configure: o => o.ServeUnknownFileTypes = true);
        var url = host.Generator.GetSignedUrl("/protected/suffix.bin");
        Store.Requests.Clear();

        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(null, 500) } };
        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content.AsSpan(9500).ToArray(), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes=9500-9999", Assert.Single(Store.Requests.Entries, e => e.Method == "GET").Range);
    }

    [Fact]
    public async Task RangeOverruledByIfRange_IsServedWhole_FromFreshReads()
    {
        var content = Bytes(50_000, 3);
        await Store.PutAsync("ifrange.bin", content);
        var host = await StartHostAsync(configure: o => o.ServeUnknownFileTypes = true);
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Generator.GetSignedUrl("/protected/ifrange.bin"))
        {
            Headers = { Range = new RangeHeaderValue(0, 9), IfRange = new RangeConditionHeaderValue("\"another-version\"") },
        };

        var response = await host.Client.SendAsync(request);

        // The plan (bytes 0-9) was a hint: the framework answers the whole file, and the stream reads on.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task SingleUseLink_WithRange_IsServedWhole()
    {
        var content = Bytes(5000, 4);
        await Store.PutAsync("once.bin", content);
        var host = await StartHostAsync(configure: o => o.ServeUnknownFileTypes = true);
        var url = host.Generator.GetSignedUrl("/protected/once.bin", new SignedUrlOptions { SingleUse = true });
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(0, 9) } };

        var first = await host.Client.SendAsync(request);
        var second = await host.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(content, await first.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Gone, second.StatusCode);
    }

    // --- Metadata cache: a repeated link costs no metadata request; bytes are never stale ------------

    [Fact]
    public async Task RepeatedLink_CostsOneMetadataRequest_UntilTheCacheDurationPasses()
    {
        await Store.PutAsync("repeat.txt", "hello"u8.ToArray());
        var host = await StartHostAsync();
        var url = host.Generator.GetSignedUrl("/protected/repeat.txt");
        Store.Requests.Clear();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("hello", await host.Client.GetStringAsync(url));
        }

        Assert.Equal(1, Store.Requests.Count("HEAD"));
        Assert.Equal(5, Store.Requests.Count("GET"));

        host.Time.Advance(new SignedFileStoreOptions().MetadataCacheDuration + TimeSpan.FromSeconds(1));
        Assert.Equal("hello", await host.Client.GetStringAsync(url));
        Assert.Equal(2, Store.Requests.Count("HEAD"));
    }

    [Fact]
    public async Task HeadRequests_AreAnsweredFromTheCache_WithoutReadingBytes()
    {
        await Store.PutAsync("head.txt", "hello"u8.ToArray());
        var host = await StartHostAsync();
        var url = host.Generator.GetSignedUrl("/protected/head.txt");
        Store.Requests.Clear();

        for (var i = 0; i < 3; i++)
        {
            using var head = new HttpRequestMessage(HttpMethod.Head, url);
            Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(head)).StatusCode);
        }

        Assert.Equal(1, Store.Requests.Count("HEAD"));
        Assert.Equal(0, Store.Requests.Count("GET"));
    }

    [Fact]
    public async Task OverwrittenObject_IsServedInItsNewVersion_AtOnce_WithANewETag()
    {
        await Store.PutAsync("doc.txt", "version 1"u8.ToArray());
        var host = await StartHostAsync();
        var url = host.Generator.GetSignedUrl("/protected/doc.txt");
        var first = await host.Client.GetAsync(url);

        // Same length, same second, still in the metadata cache: only the version tells them apart.
        await Store.PutAsync("doc.txt", "version 2"u8.ToArray());
        var second = await host.Client.GetAsync(url);

        Assert.Equal("version 1", await first.Content.ReadAsStringAsync());
        Assert.Equal("version 2", await second.Content.ReadAsStringAsync());
        Assert.NotEqual(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal((await Store.PropertiesAsync("doc.txt")).ETag, second.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task OverwrittenObject_RangeAnswer_ComesWholeFromTheNewVersion()
    {
        await Store.PutAsync("range-doc.txt", "AAAAAAAAAAAAAAAAAAAA"u8.ToArray());
        var host = await StartHostAsync();
        var url = host.Generator.GetSignedUrl("/protected/range-doc.txt");
        await host.Client.GetAsync(url); // caches version 1

        await Store.PutAsync("range-doc.txt", "BBBBBBBBBBBBBBBBBBBBBBBBB"u8.ToArray());
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(15, 24) } };
        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("BBBBBBBBBB", await response.Content.ReadAsStringAsync());
        Assert.Equal("bytes 15-24/25", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task DeletedObject_Answers404_EvenWhileItsMetadataIsCached()
    {
        await Store.PutAsync("gone.txt", "here"u8.ToArray());
        var host = await StartHostAsync();
        var url = host.Generator.GetSignedUrl("/protected/gone.txt");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);

        await Store.DeleteAsync("gone.txt");
        var response = await host.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task UploadedAfterA404_IsFoundAtOnce()
    {
        var host = await StartHostAsync();
        var url = host.Generator.GetSignedUrl("/protected/later.txt");
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync(url)).StatusCode);

        await Store.PutAsync("later.txt", "now"u8.ToArray());

        Assert.Equal("now", await host.Client.GetStringAsync(url));
    }

    [Fact]
    public async Task Eviction_OfAFolderPath_MakesTheNextRequestAskTheStore()
    {
        await Store.PutAsync("kyc/42/front.txt", "front"u8.ToArray());
        await Store.PutAsync("other.txt", "other"u8.ToArray());
        var host = await StartHostAsync();
        var front = host.Generator.GetSignedUrl("/protected/kyc/42/front.txt");
        var other = host.Generator.GetSignedUrl("/protected/other.txt");
        await host.Client.GetAsync(front);
        await host.Client.GetAsync(other);
        Store.Requests.Clear();

        host.Services.GetRequiredService<IStoreMetadataEviction>().Evict("/protected/kyc");
        await host.Client.GetAsync(front);
        await host.Client.GetAsync(other);

        var heads = Store.Requests.Entries.Where(e => e.Method == "HEAD").ToList();
        Assert.Single(heads);
        Assert.EndsWith("kyc/42/front.txt", Uri.UnescapeDataString(heads[0].Path), StringComparison.Ordinal);
    }

    // --- Farms and scope ------------------------------------------------------------------------------

    [Fact]
    public async Task TwoNodes_OverOneStore_ServeEachOthersLinks()
    {
        await Store.PutAsync("shared.txt", "one copy, two nodes"u8.ToArray());
        var contentRoot = SignedHost.NewContentRoot(); // the key ring folder both nodes share
        var nodeA = await StartHostAsync(contentRoot: contentRoot);
        var nodeB = await StartHostAsync(contentRoot: contentRoot);

        var fromA = nodeA.Generator.GetSignedUrl("/protected/shared.txt");
        var fromB = nodeB.Generator.GetSignedUrl("/protected/shared.txt");

        Assert.Equal("one copy, two nodes", await nodeB.Client.GetStringAsync(fromA));
        Assert.Equal("one copy, two nodes", await nodeA.Client.GetStringAsync(fromB));
    }

    [Fact]
    public async Task LinkOfOneStore_DoesNotOpenAnotherStoresFolder()
    {
        await Store.PutAsync("same-name.txt", "first bucket"u8.ToArray());
        var sibling = await Store.CreateSiblingAsync();
        await sibling.PutAsync("same-name.txt", "second bucket"u8.ToArray());
        var contentRoot = SignedHost.NewContentRoot();
        var first = await StartHostAsync(contentRoot: contentRoot);
        var second = await StartHostAsync(sibling, contentRoot: contentRoot);

        var response = await second.Client.GetAsync(first.Generator.GetSignedUrl("/protected/same-name.txt"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task InvalidStoreOptions_StopTheAppAtStartup_NamingTheOption()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            StartHostAsync(builder: b => b.Services.AddSignedStaticFiles().ConfigureStore(o => o.Timeout = TimeSpan.Zero)));

        Assert.Contains("SignedFileStoreOptions.Timeout", error.Message, StringComparison.Ordinal);
    }

    // --- Health -------------------------------------------------------------------------------------------

    [Fact]
    public async Task HealthCheck_IsHealthy_WhenTheStoreAnswers()
    {
        var host = await StartHostAsync(builder: b => b.Services.AddHealthChecks().AddSignedStaticFilesStores(tags: ["store"]));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = Assert.Single(report.Entries);
        Assert.Equal("signedstaticfiles-store", entry.Key);
        Assert.Equal(HealthStatus.Healthy, entry.Value.Status);
        Assert.Contains("store", entry.Value.Tags);
    }
}
