using System.Collections.Concurrent;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace SignedStaticFiles.StackExchangeRedis;

/// <summary>
/// An <see cref="ISingleUseLinkStore"/> shared by every node of a farm: one Redis key per used link,
/// written with <c>SET key 1 PX ttl NX</c> — a single atomic command, so of any number of concurrent
/// requests on any number of nodes exactly one creates the key. The key expires with the link (plus the
/// clock-skew allowance the middleware adds), so Redis holds only links that could still be replayed.
/// </summary>
/// <remarks>
/// <para>
/// Reserve, commit, release: a reservation is the same key written with a random owner value
/// (<c>SET key owner PX ttl NX</c>), remembered by this process until the answer is settled. A commit keeps the key
/// (the use is final until it expires); a release deletes it only if it still holds this process's owner value
/// (compare-and-delete in one Lua script), so a node never gives back a use another node holds — say after its own
/// reservation expired and another node reserved the link. A node that dies mid-answer leaves the key: the link
/// stays used (fail closed).
/// </para>
/// <para>
/// Fails fast: when the multiplexer is not connected it throws at once instead of queueing the command
/// until the multiplexer's timeout, so a request with a single-use link gets its 503 without waiting. The
/// connection is obtained from the application's delegate on first use (and again after a failed attempt,
/// at most once per <see cref="ConnectRetryInterval"/>); it is not disposed by the store, because the
/// application may share it.
/// </para>
/// </remarks>
internal sealed class RedisSingleUseLinkStore : ISingleUseLinkStore
{
    /// <summary>The prefix of every key the store writes.</summary>
    internal const string KeyPrefix = "SignedStaticFiles:used:";

    internal static readonly TimeSpan ConnectRetryInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan MinimumTtl = TimeSpan.FromMilliseconds(1);

    /// <summary>Deletes the key only while it holds this reservation's owner value.</summary>
    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    /// <summary>The owner value of each reservation this process holds, by link id, until the answer is settled.</summary>
    private readonly ConcurrentDictionary<string, string> _reservations = new(StringComparer.Ordinal);

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

    public async ValueTask<bool> TryReserveAsync(string linkId, DateTimeOffset keepUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkId);
        var database = GetDatabase();
        var owner = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var ttl = keepUntil - _timeProvider.GetUtcNow();
        var reserved = await database
            .StringSetAsync(KeyPrefix + linkId, owner, ttl > MinimumTtl ? ttl : MinimumTtl, When.NotExists, CommandFlags.DemandMaster)
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        if (reserved)
        {
            _reservations[linkId] = owner;
        }

        return reserved;
    }

    public ValueTask CommitAsync(string linkId, DateTimeOffset keepUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkId);

        // The reserved key already lasts until keepUntil: the use is final as it stands.
        _reservations.TryRemove(linkId, out _);
        return ValueTask.CompletedTask;
    }

    public async ValueTask ReleaseAsync(string linkId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkId);
        if (!_reservations.TryRemove(linkId, out var owner))
        {
            return; // not reserved by this process: nothing of ours to give back
        }

        var database = GetDatabase();
        await database
            .ScriptEvaluateAsync(ReleaseScript, [(RedisKey)(KeyPrefix + linkId)], [owner], CommandFlags.DemandMaster)
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
