using System.Net;
using Microsoft.Extensions.Logging.Testing;
using SignedStaticFiles.StackExchangeRedis.Tests.Infrastructure;
using SignedStaticFiles.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace SignedStaticFiles.StackExchangeRedis.Tests;

/// <summary>
/// docs/farms.md and T5 (docs/security-model.md) on a real farm: two app instances, one real redis-server holding the shared
/// DataProtection key ring and the single-use records.
/// </summary>
public sealed class WebFarmTests(ITestOutputHelper output)
{
    private const string FilePath = "kyc/42/front.txt";
    private const string UrlPath = "/protected/kyc/42/front.txt";
    private const string Content = "identity card, front";

    private static async Task<RedisFarm> StartFarmAsync()
    {
        var farm = await RedisFarm.StartAsync();
        farm.A.WriteFile(FilePath, Content);
        return farm;
    }

    private static string SingleUseUrl(SignedHost node) =>
        node.Generator.GetSignedUrl(UrlPath, new SignedUrlOptions { SingleUse = true });

    [Fact]
    public async Task KeyRing_IsSharedInRedis_NotOnEitherNodesDisk()
    {
        await using var farm = await StartFarmAsync();
        await using var redis = await farm.Redis.ConnectAsync();

        Assert.Equal(1, await redis.GetDatabase().ListLengthAsync(RedisFarm.KeyRingKey));
        Assert.False(Directory.Exists(farm.A.KeysFolder) && Directory.EnumerateFiles(farm.A.KeysFolder).Any());
    }

    [Fact]
    public async Task LinkMintedOnA_IsServedByB_AndTheOtherWayRound()
    {
        await using var farm = await StartFarmAsync();

        var fromA = await farm.B.Client.GetAsync(farm.A.Generator.GetSignedUrl(UrlPath));
        Assert.Equal(HttpStatusCode.OK, fromA.StatusCode);
        Assert.Equal(Content, await fromA.Content.ReadAsStringAsync());

        var fromB = await farm.A.Client.GetAsync(farm.B.Generator.GetSignedUrl(UrlPath));
        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
    }

    [Fact]
    public async Task SingleUseLink_ConsumedOnA_Returns410OnB()
    {
        await using var farm = await StartFarmAsync();
        var url = SingleUseUrl(farm.A);

        Assert.Equal(HttpStatusCode.OK, (await farm.A.Client.GetAsync(url)).StatusCode);

        var onB = await farm.B.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Gone, onB.StatusCode);
        Assert.Contains("Link already used", await onB.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await farm.A.Client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task SingleUseLink_HeadOnB_DoesNotConsume_GetOnA_Then410Everywhere()
    {
        await using var farm = await StartFarmAsync();
        var url = SingleUseUrl(farm.A);

        using (var head = await farm.B.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await farm.A.Client.GetAsync(url)).StatusCode);
        using var after = await farm.B.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.Gone, after.StatusCode);
    }

    /// <summary>
    /// A use that did not deliver the file is given back farm-wide: refused 404 on one node (file not there yet),
    /// the same link then works on the other node, once.
    /// </summary>
    [Fact]
    public async Task SingleUseLink_404OnA_UseGivenBack_ServedOnceOnB()
    {
        await using var farm = await StartFarmAsync();
        var url = farm.A.Generator.GetSignedUrl("/protected/kyc/42/late.txt", new SignedUrlOptions { SingleUse = true });

        Assert.Equal(HttpStatusCode.NotFound, (await farm.A.Client.GetAsync(url)).StatusCode);
        farm.A.WriteFile("kyc/42/late.txt", "uploaded late");

        Assert.Equal(HttpStatusCode.OK, (await farm.B.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await farm.A.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await farm.B.Client.GetAsync(url)).StatusCode);
    }

    /// <summary>The race of T5 across nodes: 50 concurrent requests, half on each node, per round.</summary>
    [Fact]
    public async Task SingleUseLink_50ConcurrentRequestsAcrossBothNodes_ExactlyOneServed()
    {
        await using var farm = await StartFarmAsync();
        const int rounds = 20, attemptsPerRound = 50;
        int attempts = 0, winners = 0, refused = 0;

        for (var round = 0; round < rounds; round++)
        {
            var url = SingleUseUrl(round % 2 == 0 ? farm.A : farm.B);
            using var start = new SemaphoreSlim(0);
            var requests = Enumerable.Range(0, attemptsPerRound).Select(i => Task.Run(async () =>
            {
                await start.WaitAsync();
                return await (i % 2 == 0 ? farm.A : farm.B).Client.GetAsync(url);
            })).ToArray();
            start.Release(attemptsPerRound);
            var responses = await Task.WhenAll(requests);

            var ok = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
            var gone = responses.Count(r => r.StatusCode == HttpStatusCode.Gone);
            Assert.Equal(1, ok);
            Assert.Equal(attemptsPerRound - 1, gone);
            attempts += responses.Length;
            winners += ok;
            refused += gone;
        }

        output.WriteLine($"single-use race across 2 nodes + redis: {rounds} links x {attemptsPerRound} concurrent requests = {attempts} attempts, {winners} winners (200), {refused} refused (410)");
    }

    [Fact]
    public async Task RedisKilled_SingleUse503_PlainLinks200_LoggedOncePerNode_RedisBack_SingleUseWorks()
    {
        await using var farm = await StartFarmAsync();
        var usedBeforeOutage = SingleUseUrl(farm.A);
        Assert.Equal(HttpStatusCode.OK, (await farm.A.Client.GetAsync(usedBeforeOutage)).StatusCode);

        await farm.Redis.KillAsync();

        for (var i = 0; i < 10; i++)
        {
            var node = i % 2 == 0 ? farm.A : farm.B;
            var singleUse = await node.Client.GetAsync(SingleUseUrl(node));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, singleUse.StatusCode);
            Assert.Equal("application/problem+json", singleUse.Content.Headers.ContentType?.MediaType);

            // Plain links need no store, and the key ring is cached in memory: they keep working.
            var plain = await node.Client.GetAsync((i % 2 == 0 ? farm.B : farm.A).Generator.GetSignedUrl(UrlPath));
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        }

        foreach (var node in new[] { farm.A, farm.B })
        {
            Assert.Single(node.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 50);
        }

        await farm.Redis.RestartAsync();

        // The multiplexers reconnect by themselves; poll each node with fresh links until they do.
        foreach (var node in new[] { farm.A, farm.B })
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            HttpStatusCode status;
            while ((status = (await node.Client.GetAsync(SingleUseUrl(node))).StatusCode) == HttpStatusCode.ServiceUnavailable
                   && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Single(node.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 51);
        }

        var url = SingleUseUrl(farm.B);
        Assert.Equal(HttpStatusCode.OK, (await farm.A.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await farm.B.Client.GetAsync(url)).StatusCode);
    }

    /// <summary>
    /// A hung Redis (stopped, sockets open) answers nothing: the request waits for the client's timeout
    /// and gets 503, never a 500 or a second use. The SET sent meanwhile runs when Redis thaws, so the link
    /// then answers 410: fail closed, it was never served.
    /// </summary>
    [Fact]
    public async Task RedisHung_SingleUse503AfterClientTimeout_PlainLinks200_NeverServedTwice()
    {
        await using var farm = await StartFarmAsync();
        var url = SingleUseUrl(farm.A);

        await farm.Redis.PauseAsync();
        try
        {
            var hung = await farm.A.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, hung.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await farm.B.Client.GetAsync(farm.A.Generator.GetSignedUrl(UrlPath))).StatusCode);
        }
        finally
        {
            await farm.Redis.ResumeAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpStatusCode status;
        while ((status = (await farm.B.Client.GetAsync(url)).StatusCode) == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Single(farm.A.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 50);
    }
}
