using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.StoreTesting;

/// <summary>
/// A store that does not answer (its server killed, or frozen with SIGSTOP so connections hang) gets 503 with
/// <c>Retry-After</c> and a problem+json body within the folder's deadline — never a hang, never other bytes —
/// and the outage is logged once; single-use links survive it; health checks report it. Each test runs its own
/// server, so that stopping it disturbs no other test.
/// </summary>
public abstract class StoreOutageTests : IAsyncLifetime
{
    /// <summary>The deadline the tests configure (SignedFileStoreOptions.Timeout; the default is 10 s).</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    /// <summary>What a loaded CI machine may add to the deadline before a test calls it a hang.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(4);

    private readonly List<IAsyncDisposable> _owned = [];

    protected NodeServer Server { get; private set; } = null!;

    protected ITestStore Store { get; private set; } = null!;

    protected abstract Task<NodeServer> StartServerAsync();

    protected abstract Task<ITestStore> CreateStoreAsync(NodeServer server);

    public async Task InitializeAsync()
    {
        Server = await StartServerAsync();
        Store = await CreateStoreAsync(Server);
        await Store.PutAsync("doc.txt", "the document"u8.ToArray());
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await Store.DisposeAsync();
        await Server.DisposeAsync();
    }

    private async Task<SignedHost> StartHostAsync(Action<WebApplicationBuilder>? builder = null, Uri? endpoint = null)
    {
        var host = await SignedHost.StartAsync(o => o.ServeUnknownFileTypes = true, b =>
        {
            Store.Serve(b.Services.AddSignedStaticFiles().ConfigureStore(o => o.Timeout = Deadline), endpoint);
            b.Logging.AddFakeLogging();
            b.Services.AddHealthChecks().AddSignedStaticFilesStores();
            builder?.Invoke(b);
        });
        _owned.Add(host);
        return host;
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedGetAsync(SignedHost host, string url)
    {
        var clock = Stopwatch.StartNew();
        var response = await host.Client.GetAsync(url);
        return (response, clock.Elapsed);
    }

    private static async Task AssertStoreUnavailableAsync(HttpResponseMessage response, TimeSpan elapsed)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("the document", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(elapsed < Deadline + Slack, $"answered after {elapsed}");
    }

    [Fact]
    public async Task KilledServer_Answers503WithRetryAfter_WithinTheDeadline()
    {
        var host = await StartHostAsync();
        Server.Kill();

        var (response, elapsed) = await TimedGetAsync(host, host.Generator.GetSignedUrl("/protected/doc.txt"));

        await AssertStoreUnavailableAsync(response, elapsed);
    }

    [Fact]
    public async Task FrozenServer_Answers503_WithinTheDeadline()
    {
        var host = await StartHostAsync();
        Server.Pause();

        var (response, elapsed) = await TimedGetAsync(host, host.Generator.GetSignedUrl("/protected/doc.txt"));

        await AssertStoreUnavailableAsync(response, elapsed);
    }

    [Fact]
    public async Task FrozenServer_WithMetadataCached_Answers503_WhenTheReadHangs()
    {
        var host = await StartHostAsync();
        var url = host.Generator.GetSignedUrl("/protected/doc.txt");
        Assert.Equal("the document", await host.Client.GetStringAsync(url));
        Server.Pause();

        var (response, elapsed) = await TimedGetAsync(host, url);

        await AssertStoreUnavailableAsync(response, elapsed);
    }

    [Fact]
    public async Task StoreStallingMidBody_AbortsTheAnswer_WithinTheDeadline_NeverAWholeLookingBody()
    {
        const int size = 32 * 1024 * 1024;
        await Store.PutAsync("large.bin", new byte[size]);
        await using var proxy = new CountingProxy(Server.Port);
        var host = await StartHostAsync(endpoint: proxy.Endpoint);
        var logs = host.Services.GetFakeLogCollector();
        using var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/large.bin"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long received = await body.ReadAsync(buffer);

        proxy.Stalled = true;
        var clock = Stopwatch.StartNew();
        var failure = await Record.ExceptionAsync(async () =>
        {
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
        });
        var elapsed = clock.Elapsed;
        proxy.Stalled = false;

        Assert.NotNull(failure); // the transfer breaks: a client never takes a cut body for the whole file
        Assert.True(received < size, $"received {received} of {size}");
        Assert.True(elapsed < Deadline + Slack + TimeSpan.FromSeconds(2), $"aborted after {elapsed}");
        Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 20);
    }

    [Fact]
    public async Task Outage_IsLoggedOnce_AndItsEndOnce()
    {
        var host = await StartHostAsync();
        var url = host.Generator.GetSignedUrl("/protected/doc.txt");
        var logs = host.Services.GetFakeLogCollector();
        Server.Kill();

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client.GetAsync(url)).StatusCode);
        }

        await Server.RestartAsync();
        await Store.EnsureCreatedAsync(); // Azurite may not have saved its state before the kill
        await Store.PutAsync("doc.txt", "the document"u8.ToArray());
        Assert.Equal("the document", await host.Client.GetStringAsync(url));
        Assert.Equal("the document", await host.Client.GetStringAsync(url));

        var records = logs.GetSnapshot();
        var down = Assert.Single(records, r => r.Id.Id == 20);
        Assert.Equal(LogLevel.Error, down.Level);
        Assert.Single(records, r => r.Id.Id == 21);
    }

    [Fact]
    public async Task SingleUseLink_RefusedWith503_IsStillUsableAfterTheOutage()
    {
        var host = await StartHostAsync();
        var url = host.Generator.GetSignedUrl("/protected/doc.txt", new SignedUrlOptions { SingleUse = true });
        Server.Pause();

        var (refused, elapsed) = await TimedGetAsync(host, url);
        Server.Resume();
        var served = await host.Client.GetAsync(url);
        var replay = await host.Client.GetAsync(url);

        await AssertStoreUnavailableAsync(refused, elapsed);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("the document", await served.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Gone, replay.StatusCode);
    }

    [Fact]
    public async Task HealthCheck_IsUnhealthy_WhileFrozen_WithinTheDeadline_AndHealthyAfter()
    {
        var host = await StartHostAsync();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        Server.Pause();

        var clock = Stopwatch.StartNew();
        var frozen = await health.CheckHealthAsync();
        var elapsed = clock.Elapsed;
        Server.Resume();
        var thawed = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, frozen.Status);
        Assert.True(elapsed < Deadline + Slack, $"reported after {elapsed}");
        Assert.Equal(HealthStatus.Healthy, thawed.Status);
    }
}
