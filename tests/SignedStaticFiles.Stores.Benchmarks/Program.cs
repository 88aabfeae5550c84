using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SignedStaticFiles;
using SignedStaticFiles.AzureBlobs.Tests.Infrastructure;
using SignedStaticFiles.S3.Tests.Infrastructure;
using SignedStaticFiles.StoreTesting;

// B6 (docs/performance.md, docs/stores.md): for each store, on this host, with the real server on loopback
//   1. throughput of a 1 MB object served through the package (client -> Kestrel -> ServeFromS3/ServeFromAzureBlobs
//      -> server) against the same object read directly with the SDK, in alternated rounds; the ratio per round
//      and its median (bar: >= 0.8); both reach the server directly;
//   2. the bytes a 1 KB Range costs the store, counted by a TCP proxy between the package and the server
//      (metadata request included; bar: <= 64 KB), through a second folder over the same bucket.
// Usage: run.sh [--store s3|azure|both] [--rounds N] [--requests N] [--concurrency N]
var options = Options.Parse(args);
Console.WriteLine($"B6 stores: rounds={options.Rounds} requests={options.Requests} concurrency={options.Concurrency} load={File.ReadAllText("/proc/loadavg").Trim()}");
foreach (var kind in options.Stores)
{
    await RunAsync(kind, options);
}

static async Task RunAsync(string kind, Options options)
{
    await using var server = kind == "s3" ? await S3TestStore.StartServerAsync() : await AzureTestStore.StartServerAsync();
    ITestStore store = kind == "s3" ? await S3TestStore.CreateAsync(server) : await AzureTestStore.CreateAsync(server);
    var content = new byte[1024 * 1024];
    new Random(6).NextBytes(content);
    await store.PutAsync("bench/1mb.bin", content);
    await using var proxy = new CountingProxy(server.Port);

    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
    builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
    // Throughput: the package's client reaches the server directly, as the SDK read it is compared with does
    // (the counting proxy is a measuring device: a relay with a copy of its own, on the same two cores).
    store.Serve(builder.Services.AddSignedStaticFiles(o => o.ServeUnknownFileTypes = true));
    // Bytes a range costs: a second folder over the same container, reached through the counting proxy.
    store.Serve(builder.Services.AddSignedStaticFiles("counted", o =>
    {
        o.ServeUnknownFileTypes = true;
        o.RequestPath = "/counted";
    }), proxy.Endpoint);
    await using var app = builder.Build();
    app.UseSignedStaticFiles();
    await app.StartAsync();
    var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    using var client = new HttpClient { BaseAddress = address };
    var url = app.Services.GetRequiredService<ISignedUrlGenerator>().GetSignedUrl("/protected/bench/1mb.bin", TimeSpan.FromHours(1));

    // Warm both paths (JIT up to its optimised tier, connections, the metadata cache): with only a couple of
    // requests the first round still ran partly unoptimised code (0.74 against 0.84-0.92 in the next rounds).
    await ThroughputAsync(() => ReadThroughAppAsync(client, url), options.Requests, options.Concurrency);
    await ThroughputAsync(() => store.ReadDirectAsync("bench/1mb.bin"), options.Requests, options.Concurrency);

    var ratios = new List<double>();
    for (var round = 1; round <= options.Rounds; round++)
    {
        // Alternate which path goes first, so drift in the machine's load does not favour one of them.
        double app_, sdk;
        if (round % 2 == 1)
        {
            app_ = await ThroughputAsync(() => ReadThroughAppAsync(client, url), options.Requests, options.Concurrency);
            sdk = await ThroughputAsync(() => store.ReadDirectAsync("bench/1mb.bin"), options.Requests, options.Concurrency);
        }
        else
        {
            sdk = await ThroughputAsync(() => store.ReadDirectAsync("bench/1mb.bin"), options.Requests, options.Concurrency);
            app_ = await ThroughputAsync(() => ReadThroughAppAsync(client, url), options.Requests, options.Concurrency);
        }

        ratios.Add(app_ / sdk);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind} round {round}: package {app_:F1} MB/s, SDK direct {sdk:F1} MB/s, ratio {app_ / sdk:F3}"));
    }

    ratios.Sort();
    var median = ratios.Count % 2 == 1 ? ratios[ratios.Count / 2] : (ratios[ratios.Count / 2 - 1] + ratios[ratios.Count / 2]) / 2;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind} throughput ratio: median {median:F3} (min {ratios[0]:F3}, max {ratios[^1]:F3}; bar >= 0.8)"));

    // A fresh link (so the metadata request counts too) asking for 1 KB from the middle of the object.
    var fresh = app.Services.GetRequiredService<ISignedUrlGenerator>().GetSignedUrl("/counted/bench/1mb.bin", TimeSpan.FromMinutes(5));
    proxy.Reset();
    using var request = new HttpRequestMessage(HttpMethod.Get, fresh) { Headers = { Range = new RangeHeaderValue(500_000, 500_000 + 1023) } };
    using var response = await client.SendAsync(request);
    var body = await response.Content.ReadAsByteArrayAsync();
    await Task.Delay(200); // let the proxy count what the server sent after the client stopped reading
    Console.WriteLine($"{kind} 1 KB range: status {(int)response.StatusCode}, {body.Length} bytes to the client, {proxy.BytesFromServer} bytes from the store (bar <= 65536)");

    await app.StopAsync();
}

static async Task<long> ReadThroughAppAsync(HttpClient client, string url)
{
    using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    await using var stream = await response.Content.ReadAsStreamAsync();
    return await S3TestStore.DrainAsync(stream);
}

static async Task<double> ThroughputAsync(Func<Task<long>> read, int requests, int concurrency)
{
    var next = 0;
    long bytes = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) <= requests)
        {
            Interlocked.Add(ref bytes, await read());
        }
    }));
    return bytes / 1048576.0 / clock.Elapsed.TotalSeconds;
}

internal sealed record Options(string[] Stores, int Rounds, int Requests, int Concurrency)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var store = Value("--store", "both");
        return new Options(
            store == "both" ? ["s3", "azure"] : [store],
            int.Parse(Value("--rounds", "7"), CultureInfo.InvariantCulture),
            int.Parse(Value("--requests", "1000"), CultureInfo.InvariantCulture),
            int.Parse(Value("--concurrency", "4"), CultureInfo.InvariantCulture));
    }
}
