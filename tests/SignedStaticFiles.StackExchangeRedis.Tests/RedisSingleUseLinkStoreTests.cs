using Microsoft.Extensions.Time.Testing;
using SignedStaticFiles.StackExchangeRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace SignedStaticFiles.StackExchangeRedis.Tests;

/// <summary>The Redis store on its own, against a real redis-server.</summary>
public sealed class RedisSingleUseLinkStoreTests
{
    [Fact]
    public async Task TryConsume_SetsOneKeyExpiringAtKeepUntil_SecondCallLoses()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await redis.ConnectAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new RedisSingleUseLinkStore(() => connection, time);

        Assert.False(await store.IsConsumedAsync("AAAAAAAAAAAAAAAA", default));
        Assert.True(await store.TryConsumeAsync("AAAAAAAAAAAAAAAA", time.GetUtcNow().AddMinutes(5), default));
        Assert.False(await store.TryConsumeAsync("AAAAAAAAAAAAAAAA", time.GetUtcNow().AddMinutes(5), default));
        Assert.True(await store.IsConsumedAsync("AAAAAAAAAAAAAAAA", default));

        var ttl = await connection.GetDatabase().KeyTimeToLiveAsync(RedisSingleUseLinkStore.KeyPrefix + "AAAAAAAAAAAAAAAA");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task KeyPastKeepUntil_ExpiresInRedis()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await redis.ConnectAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new RedisSingleUseLinkStore(() => connection, time);

        // keepUntil already past (a slow request at the very end of the link's life): the shortest TTL.
        Assert.True(await store.TryConsumeAsync("BBBBBBBBBBBBBBBB", time.GetUtcNow().AddSeconds(-1), default));
        await Task.Delay(50);
        Assert.False(await store.IsConsumedAsync("BBBBBBBBBBBBBBBB", default));
    }

    [Fact]
    public async Task TwoConnections_ConcurrentConsume_ExactlyOneWinsPerLink()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await redis.ConnectAsync();
        await using var second = await redis.ConnectAsync();
        var stores = new[] { new RedisSingleUseLinkStore(() => first, TimeProvider.System), new RedisSingleUseLinkStore(() => second, TimeProvider.System) };

        for (var link = 0; link < 50; link++)
        {
            var linkId = $"link{link:D12}";
            var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
                Task.Run(() => stores[i % 2].TryConsumeAsync(linkId, DateTimeOffset.UtcNow.AddMinutes(1), default).AsTask())));
            Assert.Equal(1, results.Count(won => won));
        }
    }

    [Fact]
    public async Task RedisDown_Throws_InsteadOfAnswering()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await redis.ConnectAsync();
        var store = new RedisSingleUseLinkStore(() => connection, TimeProvider.System);
        await redis.KillAsync();

        await Assert.ThrowsAnyAsync<RedisException>(() => store.TryConsumeAsync("CCCCCCCCCCCCCCCC", DateTimeOffset.UtcNow.AddMinutes(1), default).AsTask());
        await Assert.ThrowsAnyAsync<RedisException>(() => store.IsConsumedAsync("CCCCCCCCCCCCCCCC", default).AsTask());
    }

    [Fact]
    public async Task ConnectDelegateThrows_RetriedAtMostOncePerInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var calls = 0;
        var store = new RedisSingleUseLinkStore(() => { calls++; throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "down", null, CommandStatus.Unknown); }, time);

        await Assert.ThrowsAnyAsync<RedisException>(() => store.TryConsumeAsync("DDDDDDDDDDDDDDDD", time.GetUtcNow().AddMinutes(1), default).AsTask());
        await Assert.ThrowsAnyAsync<RedisException>(() => store.TryConsumeAsync("DDDDDDDDDDDDDDDD", time.GetUtcNow().AddMinutes(1), default).AsTask());
        Assert.Equal(1, calls);

        time.Advance(RedisSingleUseLinkStore.ConnectRetryInterval);
        await Assert.ThrowsAnyAsync<RedisException>(() => store.IsConsumedAsync("DDDDDDDDDDDDDDDD", default).AsTask());
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Reserve_HoldsTheOneUse_OthersLoseAndSeeItUsed_ReleaseGivesItBack()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await redis.ConnectAsync();
        await using var second = await redis.ConnectAsync();
        ISingleUseLinkStore a = new RedisSingleUseLinkStore(() => first, TimeProvider.System);
        ISingleUseLinkStore b = new RedisSingleUseLinkStore(() => second, TimeProvider.System);
        var keepUntil = DateTimeOffset.UtcNow.AddMinutes(5);

        Assert.True(await a.TryReserveAsync("EEEEEEEEEEEEEEEE", keepUntil, default));
        Assert.False(await b.TryReserveAsync("EEEEEEEEEEEEEEEE", keepUntil, default));
        Assert.False(await a.TryReserveAsync("EEEEEEEEEEEEEEEE", keepUntil, default));
        Assert.True(await b.IsConsumedAsync("EEEEEEEEEEEEEEEE", default));

        await a.ReleaseAsync("EEEEEEEEEEEEEEEE", default);

        Assert.False(await b.IsConsumedAsync("EEEEEEEEEEEEEEEE", default));
        Assert.True(await b.TryReserveAsync("EEEEEEEEEEEEEEEE", keepUntil, default));
    }

    [Fact]
    public async Task Commit_KeepsTheUse_UntilKeepUntil_ALaterReleaseChangesNothing()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await redis.ConnectAsync();
        ISingleUseLinkStore store = new RedisSingleUseLinkStore(() => connection, TimeProvider.System);
        var keepUntil = DateTimeOffset.UtcNow.AddMinutes(5);

        Assert.True(await store.TryReserveAsync("FFFFFFFFFFFFFFFF", keepUntil, default));
        await store.CommitAsync("FFFFFFFFFFFFFFFF", keepUntil, default);
        await store.ReleaseAsync("FFFFFFFFFFFFFFFF", default);

        Assert.True(await store.IsConsumedAsync("FFFFFFFFFFFFFFFF", default));
        Assert.False(await store.TryReserveAsync("FFFFFFFFFFFFFFFF", keepUntil, default));
        var ttl = await connection.GetDatabase().KeyTimeToLiveAsync(RedisSingleUseLinkStore.KeyPrefix + "FFFFFFFFFFFFFFFF");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    /// <summary>A release is a compare-and-delete: it never removes a reservation another node holds.</summary>
    [Fact]
    public async Task Release_OfAReservationThatExpiredAndWasTakenByAnotherNode_LeavesTheOtherNodesReservation()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await redis.ConnectAsync();
        await using var second = await redis.ConnectAsync();
        ISingleUseLinkStore a = new RedisSingleUseLinkStore(() => first, TimeProvider.System);
        ISingleUseLinkStore b = new RedisSingleUseLinkStore(() => second, TimeProvider.System);

        Assert.True(await a.TryReserveAsync("GGGGGGGGGGGGGGGG", DateTimeOffset.UtcNow.AddMilliseconds(-1), default));
        await Task.Delay(50);
        Assert.True(await b.TryReserveAsync("GGGGGGGGGGGGGGGG", DateTimeOffset.UtcNow.AddMinutes(5), default));

        await a.ReleaseAsync("GGGGGGGGGGGGGGGG", default);
        await b.ReleaseAsync("HHHHHHHHHHHHHHHH", default); // never reserved here: nothing to give back

        Assert.True(await a.IsConsumedAsync("GGGGGGGGGGGGGGGG", default));
        Assert.False(await a.TryReserveAsync("GGGGGGGGGGGGGGGG", DateTimeOffset.UtcNow.AddMinutes(5), default));
    }

    /// <summary>A node can only give back what it reserved itself: another node's release of the same id does nothing.</summary>
    [Fact]
    public async Task Release_ByANodeThatDidNotReserve_DoesNothing()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await redis.ConnectAsync();
        await using var second = await redis.ConnectAsync();
        ISingleUseLinkStore a = new RedisSingleUseLinkStore(() => first, TimeProvider.System);
        ISingleUseLinkStore b = new RedisSingleUseLinkStore(() => second, TimeProvider.System);

        Assert.True(await a.TryReserveAsync("IIIIIIIIIIIIIIII", DateTimeOffset.UtcNow.AddMinutes(5), default));
        await b.ReleaseAsync("IIIIIIIIIIIIIIII", default);

        Assert.True(await b.IsConsumedAsync("IIIIIIIIIIIIIIII", default));
    }

    [Fact]
    public async Task Release_WhileRedisIsDown_Throws_TheUseStaysTaken()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await redis.ConnectAsync();
        ISingleUseLinkStore store = new RedisSingleUseLinkStore(() => connection, TimeProvider.System);
        Assert.True(await store.TryReserveAsync("JJJJJJJJJJJJJJJJ", DateTimeOffset.UtcNow.AddMinutes(5), default));

        await redis.KillAsync();

        await Assert.ThrowsAnyAsync<RedisException>(() => store.ReleaseAsync("JJJJJJJJJJJJJJJJ", default).AsTask());
        await Assert.ThrowsAnyAsync<RedisException>(() => store.TryReserveAsync("KKKKKKKKKKKKKKKK", DateTimeOffset.UtcNow.AddMinutes(5), default).AsTask());
    }
}
