using System.Globalization;
using Microsoft.Extensions.Options;
using SignedStaticFiles.Revocation;
using StackExchange.Redis;

namespace SignedStaticFiles.StackExchangeRedis;

/// <summary>
/// Revocations in Redis: an append-only stream every node reads to the end, a pub/sub nudge so that they read at
/// once, and an epoch key that tells a node when Redis lost what it held.
/// </summary>
/// <remarks>
/// <para>Layout (prefix <see cref="RedisRevocationOptions.KeyPrefix"/>, in braces so every key is in one hash slot):</para>
/// <list type="bullet">
/// <item><c>{prefix}:log</c> — a stream, one entry per revocation: <c>k</c> kind (L, U, P, A), <c>v</c> key, <c>c</c>
/// cutoff and <c>x</c> expiry (Unix ms). Its ids are Redis's own, in order, so a node reads "everything after the
/// last id I applied" and can never miss an entry between two reads. Trimmed by id (<c>XTRIM MINID</c>): an entry
/// goes once no link it can match can still be alive (cutoff + largest MaxLifetime), with three clock-skew
/// allowances of margin, because stream ids are stamped by Redis's clock and cutoffs by the nodes'.</item>
/// <item><c>{prefix}:epoch</c> — a random value written once (<c>SET NX</c>). A node that reads another value than
/// the one it knew learns that Redis restarted empty or was flushed: it reads the new stream from its start and
/// writes back every revocation it holds, so nodes started later still know them.</item>
/// <item>channel <c>prefix:events</c> — published with each write; a message only says "read now".</item>
/// </list>
/// <para>Every write and every read is one Lua script: atomic, one round trip.</para>
/// </remarks>
internal sealed class RedisRevocationStore : IRevocationStore
{
    /// <summary>The most entries one read returns; a node reads page after page to the end.</summary>
    internal const int PageSize = 2000;

    /// <summary>The most entries one write script adds (writing back a node's revocations after Redis lost them).</summary>
    internal const int WriteBatch = 500;

    internal static readonly TimeSpan ConnectRetryInterval = TimeSpan.FromSeconds(1);

    // ARGV: epoch candidate, trim-below id, channel, then kind/key/cutoff/expiry per entry.
    private const string WriteScript = """
        redis.call('SET', KEYS[2], ARGV[1], 'NX')
        local last
        for i = 4, #ARGV, 4 do
          last = redis.call('XADD', KEYS[1], '*', 'k', ARGV[i], 'v', ARGV[i + 1], 'c', ARGV[i + 2], 'x', ARGV[i + 3])
        end
        redis.call('XTRIM', KEYS[1], 'MINID', ARGV[2])
        if last then redis.call('PUBLISH', ARGV[3], last) end
        return last
        """;

    // ARGV: read after this id (exclusive), count, epoch candidate. Returns epoch, server time (s, µs), entries.
    private const string ReadScript = """
        redis.call('SET', KEYS[2], ARGV[3], 'NX')
        local epoch = redis.call('GET', KEYS[2])
        local time = redis.call('TIME')
        return { epoch, time[1], time[2], redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2]) }
        """;

    private const string TrimScript = "return redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])";

    private readonly Func<IServiceProvider, IConnectionMultiplexer> _connect;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly RedisRevocationOptions _options;
    private readonly RedisKey[] _keys;
    private readonly Lock _connectLock = new();
    private IConnectionMultiplexer? _connection;
    private long _nextConnectAttempt;

    public RedisRevocationStore(
        RedisRevocationRegistration registration, IServiceProvider services, IOptions<RedisRevocationOptions> options, TimeProvider time)
    {
        _connect = registration.Connect;
        _services = services;
        _time = time;
        _options = options.Value;
        _keys = ["{" + _options.KeyPrefix + "}:log", "{" + _options.KeyPrefix + "}:epoch"];
        Channel = RedisChannel.Literal(_options.KeyPrefix + ":events");
        Name = "Redis (" + _options.KeyPrefix + ")";
    }

    /// <summary>For logs: which store.</summary>
    public string Name { get; }

    public RedisKey LogKey => _keys[0];

    public RedisKey EpochKey => _keys[1];

    public RedisChannel Channel { get; }

    public TimeSpan ClockSkewAllowance => _options.ClockSkewAllowance;

    public TimeSpan MaxStaleness => _options.MaxStaleness;

    public ValueTask WriteAsync(RevocationEntry entry, CancellationToken cancellationToken) =>
        WriteManyAsync([entry], entry.ExpiresMs - entry.CutoffMs, cancellationToken);

    /// <summary>Appends entries and publishes the nudge; throws when Redis does not take them.</summary>
    /// <param name="entries">The revocations.</param>
    /// <param name="horizonMs">How long an entry must stay after its cutoff (the largest MaxLifetime): what trimming keeps.</param>
    /// <param name="cancellationToken">Stops waiting (the write may still happen).</param>
    public async ValueTask WriteManyAsync(IReadOnlyList<RevocationEntry> entries, long horizonMs, CancellationToken cancellationToken)
    {
        var database = Database();
        for (var start = 0; start < entries.Count; start += WriteBatch)
        {
            var count = Math.Min(WriteBatch, entries.Count - start);
            var args = new RedisValue[3 + (4 * count)];
            args[0] = NewEpoch();
            args[1] = TrimBelow(horizonMs);
            args[2] = Channel.ToString();
            for (var i = 0; i < count; i++)
            {
                var entry = entries[start + i];
                args[3 + (4 * i)] = ((char)entry.Kind).ToString();
                args[4 + (4 * i)] = entry.Key;
                args[5 + (4 * i)] = entry.CutoffMs;
                args[6 + (4 * i)] = entry.ExpiresMs;
            }

            await database.ScriptEvaluateAsync(WriteScript, _keys, args, CommandFlags.DemandMaster)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One page of entries after <paramref name="afterId"/>, with the store's epoch and clock.</summary>
    public async Task<RevocationPage> ReadAsync(string afterId, int count = PageSize)
    {
        var database = Database();
        var result = await database.ScriptEvaluateAsync(
            ReadScript, _keys, [afterId, count, NewEpoch()], CommandFlags.DemandMaster).ConfigureAwait(false);
        var parts = (RedisResult[])result!;
        var serverTime = DateTimeOffset.UnixEpoch.AddSeconds((long)parts[1]).AddTicks((long)parts[2] * 10);
        var raw = (RedisResult[])parts[3]!;
        var entries = new List<(string Id, RevocationEntry? Entry)>(raw.Length);
        foreach (var item in raw)
        {
            var pair = (RedisResult[])item!;
            entries.Add(((string)pair[0]!, Parse((RedisResult[])pair[1]!)));
        }

        return new RevocationPage((string)parts[0]!, serverTime, entries);
    }

    /// <summary>Drops stream entries that can no longer match a live link.</summary>
    public Task TrimAsync(long horizonMs) =>
        Database().ScriptEvaluateAsync(TrimScript, [LogKey], [TrimBelow(horizonMs)], CommandFlags.DemandMaster);

    /// <summary>The connection, obtained from the application's delegate on first use (and again, at most once a second, after a failure).</summary>
    public IConnectionMultiplexer Connection()
    {
        if (Volatile.Read(ref _connection) is { } connection)
        {
            return connection;
        }

        lock (_connectLock)
        {
            if (_connection is { } existing)
            {
                return existing;
            }

            var now = _time.GetTimestamp();
            if (now < _nextConnectAttempt)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.DemandMaster,
                    "The last attempt to connect to Redis for revocations failed; the next one is not due yet.", null, CommandStatus.WaitingToBeSent);
            }

            try
            {
                connection = _connect(_services) ?? throw new InvalidOperationException(
                    "The delegate given to PersistRevocationsToStackExchangeRedis returned null.");
                Volatile.Write(ref _connection, connection);
                return connection;
            }
            catch
            {
                _nextConnectAttempt = now + (long)(ConnectRetryInterval.TotalSeconds * _time.TimestampFrequency);
                throw;
            }
        }
    }

    /// <summary>Fails fast while disconnected, rather than queueing a revocation the caller believes stored.</summary>
    private IDatabase Database()
    {
        var connection = Connection();
        if (!connection.IsConnected)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.DemandMaster,
                "Redis is not connected: the revocation cannot be stored or read.", null, CommandStatus.WaitingToBeSent);
        }

        return connection.GetDatabase();
    }

    /// <summary>
    /// The smallest stream id to keep: now minus the horizon minus three skew allowances (the entry's cutoff may
    /// run one allowance ahead of its id's clock, the trimming node's clock one behind Redis's, plus one to spare).
    /// </summary>
    private string TrimBelow(long horizonMs)
    {
        var keep = horizonMs + (3 * (long)_options.ClockSkewAllowance.TotalMilliseconds) + 1000;
        var below = Math.Max(0, _time.GetUtcNow().ToUnixTimeMilliseconds() - keep);
        return below.ToString(CultureInfo.InvariantCulture) + "-0";
    }

    private static string NewEpoch() => Guid.NewGuid().ToString("N");

    private static RevocationEntry? Parse(RedisResult[] fields)
    {
        string? kind = null, key = null;
        long? cutoff = null, expires = null;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            switch ((string?)fields[i])
            {
                case "k": kind = (string?)fields[i + 1]; break;
                case "v": key = (string?)fields[i + 1]; break;
                case "c": cutoff = long.TryParse((string?)fields[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : null; break;
                case "x": expires = long.TryParse((string?)fields[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) ? x : null; break;
            }
        }

        // An entry this version cannot read (another kind, say) is skipped: nothing it names can be enforced here.
        return kind is [var letter] && letter < 128 && Enum.IsDefined((RevocationKind)letter) && key is not null && cutoff is { } cut && expires is { } exp
            ? new RevocationEntry((RevocationKind)letter, key, cut, exp)
            : null;
    }
}
