using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;
using StackExchange.Redis;

namespace SignedStaticFiles.StackExchangeRedis.Tests.Infrastructure;

/// <summary>
/// App instances (TestServers from <see cref="SignedHost"/>) over the same protected folder, each with its own Redis
/// connection, sharing one real <c>redis-server</c> for the DataProtection key ring (<c>PersistKeysToStackExchangeRedis</c>,
/// same application name) and for single-use links; <c>configure</c> adds what a test shares besides (revocations).
/// Two nodes at first; more can join later and nodes can leave (a restart of the farm).
/// </summary>
internal sealed class RedisFarm : IAsyncDisposable
{
    public const string KeyRingKey = "SignedStaticFiles.Tests:DataProtection-Keys";

    private readonly string _contentRoot;
    private readonly Action<WebApplicationBuilder, IConnectionMultiplexer>? _configure;
    private readonly List<(SignedHost Host, ConnectionMultiplexer Connection)> _nodes = [];

    private RedisFarm(RedisServer redis, string contentRoot, Action<WebApplicationBuilder, IConnectionMultiplexer>? configure)
    {
        Redis = redis;
        _contentRoot = contentRoot;
        _configure = configure;
    }

    public RedisServer Redis { get; }

    /// <summary>The nodes still running, in the order they started.</summary>
    public IReadOnlyList<SignedHost> Nodes => _nodes.Select(n => n.Host).ToList();

    public SignedHost A => _nodes[0].Host;
    public SignedHost B => _nodes[1].Host;

    /// <param name="configure">Applied to every node's builder, with the node's own connection.</param>
    public static async Task<RedisFarm> StartAsync(Action<WebApplicationBuilder, IConnectionMultiplexer>? configure = null)
    {
        var redis = await RedisServer.StartAsync();
        var farm = new RedisFarm(redis, SignedHost.NewContentRoot(), configure);
        try
        {
            var a = await farm.StartNodeAsync();

            // Node A created the key ring in Redis while starting; node B must find and use that very ring.
            a.Generator.GetSignedUrl("/protected/warm-up");
            await farm.StartNodeAsync();
            return farm;
        }
        catch
        {
            // Never leave a redis-server behind when the farm fails to start.
            await farm.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more node on the same Redis and folder (a node added later, or a node restarted).</summary>
    /// <param name="redisUp">False when Redis is down: the node's client then connects by itself once it is back.</param>
    public async Task<SignedHost> StartNodeAsync(bool redisUp = true)
    {
        var connection = redisUp ? await Redis.ConnectAsync() : await ConnectionMultiplexer.ConnectAsync(Redis.ClientOptions());
        try
        {
            var host = await SignedHost.StartAsync(
                contentRoot: _contentRoot,
                builder: b =>
                {
                    // Replaces the file-system ring SignedHost configures: the last PersistKeysTo… wins.
                    b.Services.AddDataProtection().PersistKeysToStackExchangeRedis(connection, KeyRingKey);
                    b.Services.AddSignedStaticFiles().PersistSingleUseLinksToStackExchangeRedis(() => connection);
                    b.Services.AddFakeLogging();
                    _configure?.Invoke(b, connection);
                });
            _nodes.Add((host, connection));
            return host;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops a node and closes its connection.</summary>
    public async Task StopNodeAsync(SignedHost host)
    {
        var index = _nodes.FindIndex(n => ReferenceEquals(n.Host, host));
        var (_, connection) = _nodes[index];
        _nodes.RemoveAt(index);
        await host.DisposeAsync();
        await connection.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (host, _) in _nodes)
        {
            await host.DisposeAsync();
        }

        foreach (var (_, connection) in _nodes)
        {
            await connection.DisposeAsync();
        }

        _nodes.Clear();
        await Redis.DisposeAsync();
        try { Directory.Delete(_contentRoot, recursive: true); } catch (IOException) { }
    }
}
