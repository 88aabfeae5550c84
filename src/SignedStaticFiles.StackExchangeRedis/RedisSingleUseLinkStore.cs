using StackExchange.Redis;

namespace SignedStaticFiles.StackExchangeRedis;

/// <summary>
/// An <see cref="ISingleUseLinkStore"/> shared by every node of a farm: one Redis key per used link,
/// written with <c>SET key 1 PX ttl NX</c> — a single atomic command, so of any number of concurrent
/// requests on any number of nodes exactly one creates the key. The key expires with the link (plus the
/// clock-skew allowance the middleware adds), so Redis holds only links that could still be replayed.
/// </summary>
/// <remarks>
/// Fails fast: when the multiplexer is not connected it throws at once instead of queueing the command
/// until the multiplexer's timeout, so a request with a single-use link gets its 503 without waiting. The
/// connection is obtained from the application's delegate on first use (and again after a failed attempt,
/// at most once per <see cref="ConnectRetryInterval"/>); it is not disposed by the store, because the
/// application may share it.
/// </remarks>
internal sealed class RedisSingleUseLinkStore : ISingleUseLinkStore
{
    /// <summary>The prefix of every key the store writes.</summary>
    internal const string KeyPrefix = "SignedStaticFiles:used:";

    internal static readonly TimeSpan ConnectRetryInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan MinimumTtl = TimeSpan.FromMilliseconds(1);

    private readonly Func<IConnectionMultiplexer> _connect;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _connectLock = new();
    private IConnectionMultiplexer? _connection;
    private long _nextConnectAttempt;

    public RedisSingleUseLinkStore(Func<IConnectionMultiplexer> connect, TimeProvider timeProvider)
    {
        _connect = connect;
        _timeProvider = timeProvider;
    }

    public async ValueTask<bool> TryConsumeAsync(string linkId, DateTimeOffset keepUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkId);
        var database = GetDatabase();
        var ttl = keepUntil - _timeProvider.GetUtcNow();
        return await database
            .StringSetAsync(KeyPrefix + linkId, 1, ttl > MinimumTtl ? ttl : MinimumTtl, When.NotExists, CommandFlags.DemandMaster)
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    public async ValueTask<bool> IsConsumedAsync(string linkId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkId);
        var database = GetDatabase();
        return await database
            .KeyExistsAsync(KeyPrefix + linkId, CommandFlags.DemandMaster)
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    private IDatabase GetDatabase()
    {
        var connection = Volatile.Read(ref _connection) ?? Connect();
        if (!connection.IsConnected)
        {
            throw new RedisConnectionException(
                ConnectionFailureType.UnableToConnect,
                CommandFlags.DemandMaster,
                "Redis is not connected; the single-use link cannot be checked.",
                innerException: null,
                CommandStatus.WaitingToBeSent);
        }

        return connection.GetDatabase();
    }

    private IConnectionMultiplexer Connect()
    {
        lock (_connectLock)
        {
            if (_connection is { } existing)
            {
                return existing;
            }

            var now = _timeProvider.GetTimestamp();
            if (now < _nextConnectAttempt)
            {
                throw new RedisConnectionException(
                    ConnectionFailureType.UnableToConnect,
                    CommandFlags.DemandMaster,
                    "The last attempt to connect to Redis failed; the next one is not due yet.",
                    innerException: null,
                    CommandStatus.WaitingToBeSent);
            }

            try
            {
                var connection = _connect() ?? throw new InvalidOperationException(
                    "The delegate given to PersistSingleUseLinksToStackExchangeRedis returned null.");
                Volatile.Write(ref _connection, connection);
                return connection;
            }
            catch
            {
                _nextConnectAttempt = now + (long)(ConnectRetryInterval.TotalSeconds * _timeProvider.TimestampFrequency);
                throw;
            }
        }
    }
}
