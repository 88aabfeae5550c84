using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Revocation;
using SignedStaticFiles.Signing;
using SignedStaticFiles.StackExchangeRedis.Tests.Infrastructure;
using SignedStaticFiles.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace SignedStaticFiles.StackExchangeRedis.Tests;

/// <summary>
/// T16 and T17 (docs/security-model.md) on a real farm: nodes sharing revocations through one real redis-server
/// (<c>PersistRevocationsToStackExchangeRedis</c>), each on the real clock (staleness is real time).
/// </summary>
public sealed class RevocationFarmTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static void ShareRevocations(WebApplicationBuilder builder, IConnectionMultiplexer connection) =>
        ShareRevocations(builder, connection, TimeProvider.System);

    private static void ShareRevocations(WebApplicationBuilder builder, IConnectionMultiplexer connection, TimeProvider clock)
    {
        builder.Services.AddSingleton(clock);
        builder.Services.AddSignedStaticFiles().PersistRevocationsToStackExchangeRedis(() => connection);
    }

    private static ISignedUrlRevoker Revoker(SignedHost node) => node.Services.GetRequiredService<ISignedUrlRevoker>();

    private static RevocationList List(SignedHost node) => node.Services.GetRequiredService<RevocationList>();

    /// <summary>What the token of <paramref name="url"/> seals, as the node reads it.</summary>
    private static SealedLink LinkOf(SignedHost node, string url) =>
        node.Services.GetRequiredService<SignedFolderRegistry>().Folders[0].Protector
            .Unprotect(url.AsSpan(url.IndexOf("token=", StringComparison.Ordinal) + 6))!;

    private static async Task<HttpResponseMessage> GetAsync(SignedHost node, string url) => await node.Client.GetAsync(url);

    private static async Task<HttpStatusCode> StatusAsync(SignedHost node, string url) => (await node.Client.GetAsync(url)).StatusCode;

    /// <summary>Polls until <paramref name="condition"/> holds; returns how long it took.</summary>
    private static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > Patience)
            {
                throw new TimeoutException($"Still not after {Patience}: {what}.");
            }

            await Task.Delay(1);
        }

        return watch.Elapsed;
    }

    private static Task<TimeSpan> UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    private static void AssertLogged(SignedHost node, int eventId, int times)
    {
        var log = node.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Category == "SignedStaticFiles").ToList();
        Assert.True(log.Count(r => r.Id.Id == eventId) == times,
            $"Event {eventId} expected {times} time(s); the node's log:\n" + string.Join("\n", log.Select(r => r.Id.Id + " " + r.Message)));
    }

    private static int Logged(SignedHost node, int eventId) =>
        node.Services.GetFakeLogCollector().GetSnapshot().Count(r => r.Id.Id == eventId && r.Category == "SignedStaticFiles");

    /// <summary>
    /// A revocation made on node A is enforced by node B within a second (in practice milliseconds: pub/sub nudges B
    /// to read the stream at once). Measured from the start of the call on A to the moment B's in-memory check refuses
    /// the link, over 30 revocations of each kind but "all".
    /// </summary>
    [Fact]
    public async Task RevocationOnA_EnforcedByB_WithinOneSecond_Measured()
    {
        await using var farm = await RedisFarm.StartAsync(ShareRevocations);
        var delays = new List<TimeSpan>();
        var calls = new List<TimeSpan>();
        for (var i = 0; i < 30; i++)
        {
            var path = $"/protected/kyc/{i}/a.txt";
            farm.A.WriteFile($"kyc/{i}/a.txt", "a");
            var url = farm.A.Generator.GetSignedUrl(path, new SignedUrlOptions { UserId = i % 3 == 1 ? $"user-{i}" : null });
            var link = LinkOf(farm.B, url);
            Assert.False(List(farm.B).IsRevoked(link));

            var watch = Stopwatch.StartNew();
            var revocation = (i % 3) switch
            {
                0 => Revoker(farm.A).RevokeLinkAsync(link.LinkId).AsTask(),
                1 => Revoker(farm.A).RevokeUserAsync($"user-{i}").AsTask(),
                _ => Revoker(farm.A).RevokePathAsync($"/protected/kyc/{i}").AsTask(),
            };
            await revocation;
            calls.Add(watch.Elapsed);
            while (!List(farm.B).IsRevoked(link))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"Node B did not refuse revocation {i} within 1 s.");
                await Task.Yield();
            }

            delays.Add(watch.Elapsed);
            Assert.Equal(HttpStatusCode.Gone, await StatusAsync(farm.B, url));
        }

        delays.Sort();
        calls.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"propagation A→B over {delays.Count} revocations (link, user, path): median {delays[delays.Count / 2].TotalMilliseconds:F1} ms, "
            + $"p90 {delays[delays.Count * 9 / 10].TotalMilliseconds:F1} ms, max {delays[^1].TotalMilliseconds:F1} ms; "
            + $"the revoke call itself: median {calls[calls.Count / 2].TotalMilliseconds:F1} ms, max {calls[^1].TotalMilliseconds:F1} ms"));
    }

    [Fact]
    public async Task ThirdNodeStartedLater_RefusesFromItsFirstRequest()
    {
        await using var farm = await RedisFarm.StartAsync(ShareRevocations);
        farm.A.WriteFile("kyc/42/a.txt", "a");
        farm.A.WriteFile("kyc/43/a.txt", "b");
        var byPath = farm.A.Generator.GetSignedUrl("/protected/kyc/42/a.txt");
        var byUser = farm.A.Generator.GetSignedUrl("/protected/kyc/43/a.txt", new SignedUrlOptions { UserId = "alice" });
        var byId = farm.B.Generator.GetSignedUrl("/protected/kyc/43/a.txt");
        var kept = farm.B.Generator.GetSignedUrl("/protected/kyc/43/a.txt");
        await Revoker(farm.A).RevokePathAsync("/protected/kyc/42");
        await Revoker(farm.B).RevokeUserAsync("alice");
        await Revoker(farm.A).RevokeLinkAsync(LinkOf(farm.A, byId).LinkId);

        var watch = Stopwatch.StartNew();
        var c = await farm.StartNodeAsync();
        output.WriteLine($"node C started (revocations read before it served) in {watch.ElapsedMilliseconds} ms");

        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(c, byPath));
        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(c, byUser));
        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(c, byId));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(c, kept));
        AssertLogged(c, 36, 1);
    }

    [Fact]
    public async Task EveryNodeRestarted_RevocationsSurvive()
    {
        await using var farm = await RedisFarm.StartAsync(ShareRevocations);
        farm.A.WriteFile("kyc/42/a.txt", "a");
        var revoked = farm.A.Generator.GetSignedUrl("/protected/kyc/42/a.txt");
        await Revoker(farm.A).RevokeAllAsync();
        var mintedAfter = farm.A.Generator.GetSignedUrl("/protected/kyc/42/a.txt");

        foreach (var node in farm.Nodes)
        {
            await farm.StopNodeAsync(node);
        }

        var restarted = await farm.StartNodeAsync();
        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(restarted, revoked));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(restarted, mintedAfter));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(restarted, restarted.Generator.GetSignedUrl("/protected/kyc/42/a.txt")));
    }

    /// <summary>
    /// Redis killed (no goodbye to the clients), then restarted EMPTY (this server keeps no data on disk). Meanwhile:
    /// links a node knows to be revoked answer 410, every other link 503 with Retry-After (never served unchecked),
    /// a revocation call throws (and its node enforces it anyway); the outage is logged once per node. After the
    /// restart: the nodes notice Redis lost its data, write back what they hold (including the revocation made during
    /// the outage), serve again, and a node started afterwards knows everything.
    /// </summary>
    [Fact]
    public async Task RedisKilledAndRestartedEmpty_UnknownLinks503_KnownRevoked410_FullCatchUpAfter()
    {
        await using var farm = await RedisFarm.StartAsync(ShareRevocations);
        farm.A.WriteFile("kyc/42/a.txt", "a");
        var plain = farm.A.Generator.GetSignedUrl("/protected/kyc/42/a.txt");
        var alice = farm.A.Generator.GetSignedUrl("/protected/kyc/42/a.txt", new SignedUrlOptions { UserId = "alice" });
        var bob = farm.B.Generator.GetSignedUrl("/protected/kyc/42/a.txt", new SignedUrlOptions { UserId = "bob" });
        await Revoker(farm.A).RevokeUserAsync("alice");
        await UntilAsync(() => List(farm.B).IsRevoked(LinkOf(farm.B, alice)), "B learns alice's revocation");

        // This redis-server keeps nothing on disk: the DataProtection key ring goes with the revocations. A farm keeps its
        // ring durably; the test puts it back after the restart so that the node started afterwards reads the same links.
        RedisValue[] keyRing;
        await using (var admin = await farm.Redis.ConnectAsync())
        {
            keyRing = await admin.GetDatabase().ListRangeAsync(RedisFarm.KeyRingKey);
        }

        await farm.Redis.KillAsync();
        var killed = Stopwatch.StartNew();
        foreach (var node in farm.Nodes)
        {
            var took = await UntilAsync(async () => await StatusAsync(node, plain) == HttpStatusCode.ServiceUnavailable, "plain links answer 503");
            output.WriteLine($"503 for links not known to be revoked {took.TotalMilliseconds:F0} ms after the kill");
        }

        // The heartbeat that finds the node stale logs the outage (within one heartbeat of the first 503).
        foreach (var node in farm.Nodes)
        {
            await UntilAsync(() => Logged(node, 33) == 1, "the outage is logged");
        }

        await Assert.ThrowsAnyAsync<RedisException>(() => Revoker(farm.A).RevokeUserAsync("bob").AsTask());
        for (var i = 0; i < 5; i++)
        {
            foreach (var node in farm.Nodes)
            {
                var unknown = await GetAsync(node, plain);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, unknown.StatusCode);
                Assert.Equal("1", unknown.Headers.RetryAfter?.ToString());
                Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
                Assert.Equal(HttpStatusCode.Gone, await StatusAsync(node, alice));
            }

            // A enforces the revocation that could not be stored; B cannot know it, and does not serve the link either.
            Assert.Equal(HttpStatusCode.Gone, await StatusAsync(farm.A, bob));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(farm.B, bob));
        }

        foreach (var node in farm.Nodes)
        {
            AssertLogged(node, 33, 1);
            AssertLogged(node, 34, 0);
        }

        AssertLogged(farm.A, 32, 1);

        await farm.Redis.RestartAsync();
        output.WriteLine($"redis-server restarted empty {killed.ElapsedMilliseconds} ms after the kill");
        await using (var admin = await farm.Redis.ConnectAsync())
        {
            await admin.GetDatabase().ListRightPushAsync(RedisFarm.KeyRingKey, keyRing);
        }

        foreach (var node in farm.Nodes)
        {
            var took = await UntilAsync(async () => await StatusAsync(node, plain) == HttpStatusCode.OK, "plain links served again");
            output.WriteLine($"served again {took.TotalMilliseconds:F0} ms after the restart");
        }

        // Full catch-up: the revocation A made while Redis was down reached B through A's write-back.
        await UntilAsync(() => List(farm.B).IsRevoked(LinkOf(farm.B, bob)), "B learns bob's revocation made during the outage");
        foreach (var node in farm.Nodes)
        {
            Assert.Equal(HttpStatusCode.Gone, await StatusAsync(node, alice));
            Assert.Equal(HttpStatusCode.Gone, await StatusAsync(node, bob));
            AssertLogged(node, 33, 1);
            AssertLogged(node, 34, 1);
            AssertLogged(node, 37, 1);
        }

        // Revocations flow again, and a node started now learns everything from Redis alone.
        await Revoker(farm.B).RevokePathAsync("/protected/kyc/42/a.txt");
        await UntilAsync(() => List(farm.A).IsRevoked(LinkOf(farm.A, plain)), "A learns B's revocation after the restart");
        var c = await farm.StartNodeAsync();
        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(c, alice));
        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(c, bob));
        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(c, plain));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(c, c.Generator.GetSignedUrl("/protected/kyc/42/a.txt")));
    }

    /// <summary>
    /// A node starting while Redis is down starts after <see cref="RedisRevocationOptions.StartupSyncTimeout"/>, answers
    /// 503 for the links it cannot vouch for, logs it once, and serves once it has read the revocations.
    /// </summary>
    [Fact]
    public async Task NodeStartedWhileRedisIsDown_StartsAfterTheTimeout_503UntilItHasRead_ThenServes()
    {
        await using var farm = await RedisFarm.StartAsync((b, connection) =>
        {
            ShareRevocations(b, connection);
            b.Services.Configure<RedisRevocationOptions>(o => o.StartupSyncTimeout = TimeSpan.FromSeconds(1));

            // The key ring on the shared disk, not in Redis: a node starting without Redis still reads the farm's links.
            b.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(b.Environment.ContentRootPath, "keys")));
        });
        farm.A.WriteFile("a.txt", "a");
        var revoked = farm.A.Generator.GetSignedUrl("/protected/a.txt");
        await Revoker(farm.A).RevokeLinkAsync(LinkOf(farm.A, revoked).LinkId);
        var plain = farm.A.Generator.GetSignedUrl("/protected/a.txt");

        await farm.Redis.KillAsync();
        var watch = Stopwatch.StartNew();
        var c = await farm.StartNodeAsync(redisUp: false);
        output.WriteLine($"node C started without Redis in {watch.ElapsedMilliseconds} ms");
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(c, plain));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(c, revoked));
        await UntilAsync(() => Logged(c, 33) == 1, "C logs that it cannot vouch for links");

        // This redis-server keeps nothing on disk: A writes back what it holds once Redis is back.
        await farm.Redis.RestartAsync();
        await UntilAsync(async () => await StatusAsync(c, plain) == HttpStatusCode.OK, "C serves once it has read the revocations");
        await UntilAsync(async () => await StatusAsync(c, revoked) == HttpStatusCode.Gone, "C learns the revocation A writes back");
        AssertLogged(c, 33, 1);
        AssertLogged(c, 34, 1);
    }

    /// <summary>A hung Redis (stopped, sockets open) is noticed by the heartbeat, not by the connection: 503 within a second or so.</summary>
    [Fact]
    public async Task RedisHung_UnknownLinks503_KnownRevoked410_ServedAgainWhenItThaws()
    {
        await using var farm = await RedisFarm.StartAsync(ShareRevocations);
        farm.A.WriteFile("a.txt", "a");
        var plain = farm.A.Generator.GetSignedUrl("/protected/a.txt");
        var revoked = farm.A.Generator.GetSignedUrl("/protected/a.txt");
        await Revoker(farm.A).RevokeLinkAsync(LinkOf(farm.A, revoked).LinkId);
        await UntilAsync(() => List(farm.B).IsRevoked(LinkOf(farm.B, revoked)), "B learns the revocation");

        await farm.Redis.PauseAsync();
        try
        {
            foreach (var node in farm.Nodes)
            {
                var took = await UntilAsync(async () => await StatusAsync(node, plain) == HttpStatusCode.ServiceUnavailable, "plain links answer 503");
                output.WriteLine($"hung redis: 503 after {took.TotalMilliseconds:F0} ms");
                Assert.Equal(HttpStatusCode.Gone, await StatusAsync(node, revoked));
            }

            foreach (var node in farm.Nodes)
            {
                await UntilAsync(() => Logged(node, 33) == 1, "the outage is logged");
            }
        }
        finally
        {
            await farm.Redis.ResumeAsync();
        }

        foreach (var node in farm.Nodes)
        {
            await UntilAsync(async () => await StatusAsync(node, plain) == HttpStatusCode.OK, "plain links served again");
            Assert.Equal(HttpStatusCode.Gone, await StatusAsync(node, revoked));
            AssertLogged(node, 33, 1);
            AssertLogged(node, 34, 1);
        }
    }

    /// <summary>
    /// Clock skew: node B's clock runs 600 ms ahead of A's. A link B minted just before A's revocation carries an
    /// issue time after A's clock; the skew allowance (1 s by default) still covers it. Without an allowance it would
    /// escape — which is why the allowance exists. Links B mints once it knows the revocation work everywhere.
    /// </summary>
    [Theory]
    [InlineData(1000, true)]
    [InlineData(0, false)]
    public async Task NodeClockAhead_LinkMintedBeforeTheRevocation_CoveredByTheSkewAllowance(int allowanceMs, bool refused)
    {
        var clocks = new Queue<SkewedClock>([new SkewedClock(TimeSpan.Zero), new SkewedClock(TimeSpan.FromMilliseconds(600))]);
        await using var farm = await RedisFarm.StartAsync((b, connection) =>
        {
            ShareRevocations(b, connection, clocks.Dequeue());
            b.Services.Configure<RedisRevocationOptions>(o => o.ClockSkewAllowance = TimeSpan.FromMilliseconds(allowanceMs));
        });
        farm.A.WriteFile("a.txt", "a");

        var early = farm.B.Generator.GetSignedUrl("/protected/a.txt");
        await Revoker(farm.A).RevokeAllAsync();
        await UntilAsync(() => List(farm.B).Count == 1, "B learns the revocation");

        Assert.Equal(refused ? HttpStatusCode.Gone : HttpStatusCode.OK, await StatusAsync(farm.A, early));
        Assert.Equal(refused ? HttpStatusCode.Gone : HttpStatusCode.OK, await StatusAsync(farm.B, early));
        var late = farm.B.Generator.GetSignedUrl("/protected/a.txt");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(farm.A, late));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(farm.B, late));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(farm.B, farm.A.Generator.GetSignedUrl("/protected/a.txt")));
        if (refused)
        {
            AssertLogged(farm.A, 39, 0);
            AssertLogged(farm.B, 39, 1);
        }
    }

    /// <summary>
    /// Compaction: once no link a revocation can match can still be alive (cutoff + MaxLifetime, with the skew
    /// margins), it leaves Redis's stream and the nodes' memory.
    /// </summary>
    [Fact]
    public async Task Compaction_EntriesLeaveRedisAndMemory_OnceNoMatchingLinkCanBeAlive()
    {
        var clock = new SkewedClock(TimeSpan.Zero);
        await using var farm = await RedisFarm.StartAsync((b, connection) =>
        {
            ShareRevocations(b, connection, clock);
            b.Services.Configure<SignedStaticFilesOptions>(o =>
            {
                o.DefaultLifetime = TimeSpan.FromSeconds(30);
                o.MaxLifetime = TimeSpan.FromMinutes(1);
            });
        });
        await using var redis = await farm.Redis.ConnectAsync();
        var store = farm.A.Services.GetRequiredService<RedisRevocationStore>();
        await Revoker(farm.A).RevokeUserAsync("alice");
        await UntilAsync(() => List(farm.B).Count == 1, "B learns the revocation");
        Assert.Equal(1, await redis.GetDatabase().StreamLengthAsync(store.LogKey));

        // The nodes' clock (one clock, shared) jumps until the first revocation, written a second ago, is just past
        // what the stream keeps (MaxLifetime + 1 ms, plus three skew allowances and a second of margin); A's next write trims it.
        await Task.Delay(TimeSpan.FromSeconds(1));
        clock.Offset = TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(1) + (3 * TimeSpan.FromSeconds(1)) + TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(500);
        await Revoker(farm.A).RevokeUserAsync("bob");

        Assert.Equal(1, await redis.GetDatabase().StreamLengthAsync(store.LogKey));
        await UntilAsync(() => List(farm.B).Count == 2, "B learns the second revocation");
        Assert.Equal(1, List(farm.B).Compact());
        Assert.Equal(1, List(farm.A).Compact());
        Assert.Equal(1, List(farm.A).Count);
    }

    /// <summary>
    /// 100,000 revocations in Redis: what they take there, how long a node that is running takes to learn them, and how
    /// long a node started afterwards takes to read them before serving.
    /// </summary>
    [Fact]
    public async Task HundredThousandRevocations_InRedis_MemoryAndLoadTimeMeasured()
    {
        const int held = 100_000;
        await using var farm = await RedisFarm.StartAsync(ShareRevocations);
        farm.A.WriteFile("a.txt", "a");
        await using var redis = await farm.Redis.ConnectAsync();
        var logKey = farm.A.Services.GetRequiredService<RedisRevocationStore>().LogKey;
        var revokedBefore = farm.A.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { UserId = "user-99999" });
        var keptBefore = farm.A.Generator.GetSignedUrl("/protected/a.txt");
        var list = List(farm.A);
        var entries = Enumerable.Range(0, held).Select(i => list.NewRevocation(RevocationKind.User, "user-" + i.ToString(CultureInfo.InvariantCulture))).ToList();

        var watch = Stopwatch.StartNew();
        await farm.A.Services.GetRequiredService<RedisRevocationStore>().WriteManyAsync(entries, (long)list.Horizon.TotalMilliseconds, default);
        var written = watch.Elapsed;
        var caughtUp = await UntilAsync(() => List(farm.B).Count >= held, "B learns 100,000 revocations");
        var bytes = (long)await redis.GetDatabase().ExecuteAsync("MEMORY", "USAGE", logKey, "SAMPLES", 0);

        watch.Restart();
        var c = await farm.StartNodeAsync();
        var started = watch.Elapsed;
        Assert.Equal(held, List(c).Count);

        // The revocation check runs before the user check: a revoked bound link is 410 whoever asks.
        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(c, revokedBefore));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(c, keptBefore));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{held:N0} user revocations: Redis stream (MEMORY USAGE) {bytes:N0} bytes ({bytes / (double)held:F0} bytes each); written in {written.TotalMilliseconds:F0} ms; "
            + $"running node B caught up in {caughtUp.TotalMilliseconds:F0} ms; node C started (read all before serving) in {started.TotalMilliseconds:F0} ms"));
    }

    [Fact]
    public async Task PersistRevocations_TwiceWithAnotherDelegate_Throws_SameDelegateIsFine()
    {
        var services = new ServiceCollection();
        Func<IConnectionMultiplexer> connect = () => throw new InvalidOperationException("not called");
        var builder = services.AddSignedStaticFiles().PersistRevocationsToStackExchangeRedis(connect);
        builder.PersistRevocationsToStackExchangeRedis(connect);
        services.AddSignedStaticFiles("contracts").PersistRevocationsToStackExchangeRedis(connect);

        var exception = Assert.Throws<InvalidOperationException>(() =>
            services.AddSignedStaticFiles("contracts").PersistRevocationsToStackExchangeRedis(() => throw new InvalidOperationException("another")));
        Assert.Contains("PersistRevocationsToStackExchangeRedis", exception.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task InvalidOptions_StopTheAppAtStartup_NamingTheOption()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await redis.ConnectAsync();
        var exception = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => SignedHost.StartAsync(builder: b =>
        {
            b.Services.AddSignedStaticFiles().PersistRevocationsToStackExchangeRedis(() => connection);
            b.Services.Configure<RedisRevocationOptions>(o => o.HeartbeatInterval = TimeSpan.FromSeconds(2));
        }));
        Assert.Contains("RedisRevocationOptions.HeartbeatInterval", exception.Message, StringComparison.Ordinal);
    }
}
