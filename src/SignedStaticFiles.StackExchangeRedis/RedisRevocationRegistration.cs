using StackExchange.Redis;

namespace SignedStaticFiles.StackExchangeRedis;

/// <summary>Registered by <c>PersistRevocationsToStackExchangeRedis</c>: the connection, and the delegate the app gave (to tell two calls apart).</summary>
internal sealed record RedisRevocationRegistration(Func<IServiceProvider, IConnectionMultiplexer> Connect, Delegate Source);
