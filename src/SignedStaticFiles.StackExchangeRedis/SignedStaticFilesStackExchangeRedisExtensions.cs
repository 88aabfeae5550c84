using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SignedStaticFiles;
using SignedStaticFiles.Revocation;
using SignedStaticFiles.StackExchangeRedis;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores the use of single-use links and revocations in Redis, so that a web farm agrees on them.</summary>
public static class SignedStaticFilesStackExchangeRedisExtensions
{
    /// <summary>
    /// Replaces the in-memory <see cref="ISingleUseLinkStore"/> with one in Redis: a single-use link used
    /// on one server is refused (410) by every server sharing that Redis. Each used link is one key
    /// (<c>SignedStaticFiles:used:{linkId}</c>) set atomically if absent, expiring shortly after the link.
    /// </summary>
    /// <remarks>
    /// When Redis cannot be reached, single-use links answer 503 (fail closed: never served twice) and the
    /// outage is logged once; plain links keep working. For a quick 503, configure the multiplexer with
    /// <c>AbortOnConnectFail = false</c> (so that it reconnects by itself) and short timeouts. Signed links
    /// also need the DataProtection key ring shared by the nodes, e.g. with <c>PersistKeysToStackExchangeRedis</c>.
    /// </remarks>
    /// <param name="builder">The builder returned by <c>AddSignedStaticFiles</c>.</param>
    /// <param name="connect">
    /// Returns the connection to use, called on first use (and again after a failure to connect). Return
    /// a shared multiplexer; the store does not dispose it. Example:
    /// <c>() => ConnectionMultiplexer.Connect("redis:6379,abortConnect=false")</c>.
    /// </param>
    /// <returns>The builder.</returns>
    public static ISignedStaticFilesBuilder PersistSingleUseLinksToStackExchangeRedis(
        this ISignedStaticFilesBuilder builder, Func<IConnectionMultiplexer> connect)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connect);

        builder.Services.RemoveAll<ISingleUseLinkStore>();
        builder.Services.AddSingleton<ISingleUseLinkStore>(services =>
            new RedisSingleUseLinkStore(connect, services.GetService<TimeProvider>() ?? TimeProvider.System));
        return builder;
    }
    /// <summary>
    /// Stores revocations (<see cref="ISignedUrlRevoker"/>) in Redis and shares them with every node: a revocation made
    /// on one node is enforced by every node within <see cref="RedisRevocationOptions.MaxStaleness"/> (1 second by
    /// default; in practice milliseconds, through pub/sub), survives restarts of the nodes, and is known to a node
    /// started later. The check of each request stays in memory: no round trip per request.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A revocation that Redis does not take makes the <see cref="ISignedUrlRevoker"/> call throw (never silently
    /// lost); the revoking node enforces it regardless. A node that cannot confirm it knows every revocation (no
    /// complete read of Redis within <see cref="RedisRevocationOptions.MaxStaleness"/>) keeps answering 410 for the
    /// revocations it knows and answers every other link 503 with <c>Retry-After</c> until it has read everything
    /// again: it never serves a link another node may have revoked. The outage is logged once.
    /// </para>
    /// <para>
    /// Applies to the whole app, whichever folder's builder it is called on. Options: <see cref="RedisRevocationOptions"/>
    /// (<c>services.Configure&lt;RedisRevocationOptions&gt;(…)</c>). Configure the multiplexer with
    /// <c>AbortOnConnectFail = false</c> so that it reconnects by itself. See docs/revocation.md.
    /// </para>
    /// </remarks>
    /// <param name="builder">The builder returned by <c>AddSignedStaticFiles</c>.</param>
    /// <param name="connect">
    /// Returns the connection to use, called once when first needed (and again, at most once a second, after it threw).
    /// Return a shared multiplexer; the package does not dispose it.
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connect"/> is null.</exception>
    /// <exception cref="InvalidOperationException">Revocations were already persisted to Redis with another delegate.</exception>
#pragma warning disable RS0026 // The first overload is the fixed public contract; the second resolves the connection from DI.
    public static ISignedStaticFilesBuilder PersistRevocationsToStackExchangeRedis(
        this ISignedStaticFilesBuilder builder, Func<IConnectionMultiplexer> connect)
    {
        ArgumentNullException.ThrowIfNull(connect);
        return Register(builder, new RedisRevocationRegistration(_ => connect(), connect));
    }

    /// <summary>
    /// Like <see cref="PersistRevocationsToStackExchangeRedis(ISignedStaticFilesBuilder, Func{IConnectionMultiplexer})"/>,
    /// with the connection resolved from the application's services (for example a multiplexer registered in DI).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSignedStaticFiles</c>.</param>
    /// <param name="connect">Returns the connection from the application's services; called once when first needed.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connect"/> is null.</exception>
    /// <exception cref="InvalidOperationException">Revocations were already persisted to Redis with another delegate.</exception>
    public static ISignedStaticFilesBuilder PersistRevocationsToStackExchangeRedis(
        this ISignedStaticFilesBuilder builder, Func<IServiceProvider, IConnectionMultiplexer> connect)
#pragma warning restore RS0026
    {
        ArgumentNullException.ThrowIfNull(connect);
        return Register(builder, new RedisRevocationRegistration(connect, connect));
    }

    private static ISignedStaticFilesBuilder Register(ISignedStaticFilesBuilder builder, RedisRevocationRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(RedisRevocationRegistration))?.ImplementationInstance as RedisRevocationRegistration;
        if (existing is not null)
        {
            // Revocations are app-wide: two stores would split the farm's view of them.
            return Equals(existing.Source, registration.Source)
                ? builder
                : throw new InvalidOperationException(
                    $"PersistRevocationsToStackExchangeRedis was already called with another connection delegate (on folder '{builder.Name}' or another one). Revocations apply to the whole app: call it once.");
        }

        services.AddSingleton(registration);
        services.AddOptions<RedisRevocationOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisRevocationOptions>, RedisRevocationOptionsValidator>());
        services.TryAddSingleton<RedisRevocationStore>();
        services.RemoveAll<IRevocationStore>();
        services.AddSingleton<IRevocationStore>(sp => sp.GetRequiredService<RedisRevocationStore>());
        services.TryAddSingleton<RedisRevocationFeed>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<RedisRevocationFeed>());
        return builder;
    }
}
