using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignedStaticFiles.StackExchangeRedis.Tests.Infrastructure;

namespace SignedStaticFiles.StackExchangeRedis.Tests;

/// <summary>The Redis health check against a real redis-server: healthy while it answers, unhealthy within the timeout when frozen or killed.</summary>
public sealed class RedisHealthCheckTests
{
    private static async Task<(HealthCheckService Service, ServiceProvider Provider)> BuildAsync(StackExchange.Redis.IConnectionMultiplexer connection)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddSignedStaticFilesRedis(_ => connection, timeout: TimeSpan.FromSeconds(1), tags: ["farm"]);
        var provider = services.BuildServiceProvider();
        await Task.Yield();
        return (provider.GetRequiredService<HealthCheckService>(), provider);
    }

    [Fact]
    public async Task Healthy_WhileRedisAnswers()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        var (health, provider) = await BuildAsync(connection);
        await using var _ = provider;

        var report = await health.CheckHealthAsync();

        var entry = Assert.Single(report.Entries);
        Assert.Equal("signedstaticfiles-redis", entry.Key);
        Assert.Equal(HealthStatus.Healthy, entry.Value.Status);
        Assert.Contains("farm", entry.Value.Tags);
    }

    [Fact]
    public async Task Unhealthy_WithinTheTimeout_WhenRedisIsFrozen_AndHealthyAfter()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        var (health, provider) = await BuildAsync(connection);
        await using var _ = provider;
        await server.PauseAsync();

        var clock = Stopwatch.StartNew();
        var frozen = await health.CheckHealthAsync();
        var elapsed = clock.Elapsed;
        await server.ResumeAsync();

        Assert.Equal(HealthStatus.Unhealthy, frozen.Status);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"reported after {elapsed}");
        var deadline = Stopwatch.StartNew();
        while ((await health.CheckHealthAsync()).Status != HealthStatus.Healthy)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "still unhealthy 30 s after the server resumed");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Unhealthy_AtOnce_WhenRedisIsGone()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        var (health, provider) = await BuildAsync(connection);
        await using var _ = provider;
        await server.KillAsync();
        var deadline = Stopwatch.StartNew();
        while (connection.IsConnected && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        var clock = Stopwatch.StartNew();
        var report = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"reported after {clock.Elapsed}");
    }
}
