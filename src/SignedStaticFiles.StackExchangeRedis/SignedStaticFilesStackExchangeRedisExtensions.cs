using Microsoft.Extensions.DependencyInjection.Extensions;
using SignedStaticFiles;
using SignedStaticFiles.StackExchangeRedis;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores the use of single-use links in Redis, so that a web farm agrees on them.</summary>
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
}
