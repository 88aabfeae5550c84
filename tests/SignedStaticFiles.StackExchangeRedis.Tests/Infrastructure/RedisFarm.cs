using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;
using StackExchange.Redis;

namespace SignedStaticFiles.StackExchangeRedis.Tests.Infrastructure;

/// <summary>
/// Two app instances (two TestServers from <see cref="SignedHost"/>) over the same protected folder, each
/// with its own Redis connection, sharing one real <c>redis-server</c> for the DataProtection key ring
/// (<c>PersistKeysToStackExchangeRedis</c>, same application name) and for single-use links.
/// </summary>
internal sealed class RedisFarm : IAsyncDisposable
{
    public const string KeyRingKey = "SignedStaticFiles.Tests:DataProtection-Keys";

    private readonly string _contentRoot;
    private readonly ConnectionMultiplexer[] _connections;

    private RedisFarm(RedisServer redis, string contentRoot, SignedHost a, SignedHost b, ConnectionMultiplexer[] connections)
    {
        Redis = redis;
        _contentRoot = contentRoot;
        A = a;
        B = b;
        _connections = connections;
    }

    public RedisServer Redis { get; }
    public SignedHost A { get; }
    public SignedHost B { get; }

    public static async Task<RedisFarm> StartAsync()
    {
        var redis = await RedisServer.StartAsync();
        var contentRoot = SignedHost.NewContentRoot();
        var started = new List<IAsyncDisposable>();
        try
        {
            var (a, connectionA) = await StartNodeAsync(redis, contentRoot, started);

            // Node A created the key ring in Redis while starting; node B must find and use that very ring.
            a.Generator.GetSignedUrl("/protected/warm-up");
            var (b, connectionB) = await StartNodeAsync(redis, contentRoot, started);
            return new RedisFarm(redis, contentRoot, a, b, [connectionA, connectionB]);
        }
        catch
        {
            // Never leave a redis-server behind when the farm fails to start.
            foreach (var part in started)
            {
                await part.DisposeAsync();
            }

            await redis.DisposeAsync();
            throw;
        }
    }

    private static async Task<(SignedHost, ConnectionMultiplexer)> StartNodeAsync(RedisServer redis, string contentRoot, List<IAsyncDisposable> started)
    {
        var connection = await redis.ConnectAsync();
        started.Add(connection);
        var host = await SignedHost.StartAsync(
            contentRoot: contentRoot,
            builder: b =>
            {
                // Replaces the file-system ring SignedHost configures: the last PersistKeysTo… wins.
                b.Services.AddDataProtection().PersistKeysToStackExchangeRedis(connection, KeyRingKey);
                b.Services.AddSignedStaticFiles().PersistSingleUseLinksToStackExchangeRedis(() => connection);
                b.Services.AddFakeLogging();
            });
        started.Insert(0, host);
        return (host, connection);
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await Redis.DisposeAsync();
        try { Directory.Delete(_contentRoot, recursive: true); } catch (IOException) { }
    }
}
