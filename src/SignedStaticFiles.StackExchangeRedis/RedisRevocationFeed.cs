using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SignedStaticFiles.Diagnostics;
using SignedStaticFiles.Revocation;
using StackExchange.Redis;

namespace SignedStaticFiles.StackExchangeRedis;

/// <summary>
/// Keeps this node's <see cref="RevocationList"/> in step with Redis: reads the stream to its end at startup, again
/// whenever a pub/sub nudge arrives (another node revoked something: milliseconds), and at least every
/// <see cref="RedisRevocationOptions.HeartbeatInterval"/> (a lost message, a reconnect, a gap of any kind: the read
/// always starts after the last entry applied). Each complete read confirms the node is in sync as of the instant
/// it was sent; the list answers 503 for links it cannot vouch for once that is older than
/// <see cref="RedisRevocationOptions.MaxStaleness"/>.
/// </summary>
/// <remarks>
/// StackExchange.Redis's own keep-alive notices a dead connection only after many seconds, and a hung server never
/// closes its sockets: the heartbeat read is the only signal trusted. One read at a time: while one hangs, no other
/// is queued behind it, and the node simply goes stale. The outage is logged once, and its end once.
/// </remarks>
internal sealed class RedisRevocationFeed : IHostedService, IAsyncDisposable
{
    private const string StartOfStream = "0-0";

    private readonly RedisRevocationStore _store;
    private readonly RevocationList _list;
    private readonly RedisRevocationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _nudge = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<RedisChannel, RedisValue> _onMessage;

    private Task? _loop;
    private Task<int>? _inFlight;
    private string _lastId = StartOfStream;
    private string? _epoch;
    private bool _subscribed;
    private bool _watchingReconnects;
    private bool _outage;
    private bool _skewLogged;
    private long _started;
    private long _outageSince;
    private long _lastTrim;

    public RedisRevocationFeed(
        RedisRevocationStore store, RevocationList list, IOptions<RedisRevocationOptions> options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _store = store;
        _list = list;
        _options = options.Value;
        _time = time;
        _logger = loggerFactory.CreateLogger("SignedStaticFiles");
        _onMessage = (_, _) => Nudge();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _started = _time.GetTimestamp();
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);

        // A node that starts serving before it has read the revocations would answer 503 for a while: wait a little.
        try
        {
            await _firstSync.Task.WaitAsync(_options.StartupSyncTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Redis did not answer: the app starts anyway; the outage is logged by the loop.
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_subscribed)
        {
            try
            {
                await _store.Connection().GetSubscriber().UnsubscribeAsync(_store.Channel, _onMessage, CommandFlags.FireAndForget).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Stopping: a failed unsubscribe leaves nothing behind that matters.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
        _nudge.Dispose();
    }

    /// <summary>"Read now": a pub/sub message, or the connection came back.</summary>
    internal void Nudge()
    {
        try
        {
            if (_nudge.CurrentCount == 0)
            {
                _nudge.Release();
            }
        }
        catch (SemaphoreFullException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await SyncAsync(stopping).ConfigureAwait(false);
            using var heartbeat = new CancellationTokenSource(_options.HeartbeatInterval, _time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(heartbeat.Token, stopping);
            try
            {
                await _nudge.WaitAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The heartbeat is due, or the app stops.
            }
        }
    }

    /// <summary>One read to the end of the stream (or the wait for the one still in flight), then the state it leaves.</summary>
    private async Task SyncAsync(CancellationToken stopping)
    {
        Exception? failure = null;
        var learned = 0;
        try
        {
            if (_inFlight is null || _inFlight.IsCompleted)
            {
                var sent = _time.GetTimestamp();
                _inFlight = ReadToEndAsync(sent);
            }

            learned = await _inFlight.WaitAsync(_options.MaxStaleness, _time, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Whatever Redis or the connection delegate throws is an outage: reported, retried at the next heartbeat.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = exception;
        }

        Report(failure, learned);
    }

    private async Task<int> ReadToEndAsync(long sent)
    {
        var connection = _store.Connection();
        Subscribe(connection);
        var learned = 0;
        var storeLost = false;
        var sentAt = _time.GetUtcNow();
        while (true)
        {
            var page = await _store.ReadAsync(_lastId).ConfigureAwait(false);
            if (!string.Equals(page.Epoch, _epoch, StringComparison.Ordinal))
            {
                // A node that knew another epoch learns Redis lost its data (restarted empty, flushed): read the new
                // stream from its start, then give back what this node holds.
                storeLost |= _epoch is not null;
                _epoch = page.Epoch;
                if (_lastId != StartOfStream)
                {
                    _lastId = StartOfStream;
                    continue;
                }
            }

            CheckClock(page.ServerTime, sentAt, _time.GetUtcNow());
            foreach (var (id, entry) in page.Entries)
            {
                if (entry is { } revocation && _list.Apply(revocation))
                {
                    learned++;
                    SignedStaticFilesLog.RevocationReceived(_logger, _store.Name, revocation.Kind, revocation.Key,
                        DateTimeOffset.FromUnixTimeMilliseconds(revocation.CutoffMs));
                }

                _lastId = id;
            }

            if (page.Entries.Count < RedisRevocationStore.PageSize)
            {
                break;
            }
        }

        if (storeLost)
        {
            var held = _list.Snapshot().ToList();
            SignedStaticFilesLog.RevocationStoreLost(_logger, _store.Name, held.Count);
            await _store.WriteManyAsync(held, (long)_list.Horizon.TotalMilliseconds, CancellationToken.None).ConfigureAwait(false);
        }

        _list.Confirm(sent);
        await TrimNowAndThenAsync().ConfigureAwait(false);
        return learned;
    }

    /// <summary>
    /// The outage is logged once when the node goes stale (or answered a request 503, however briefly), and its end
    /// once when it is in sync again.
    /// </summary>
    private void Report(Exception? failure, int learned)
    {
        var answeredUnknown = _list.TakeAnsweredUnknown();
        var now = _time.GetTimestamp();
        var inSync = _list.IsInSync(now);
        if (!_outage && (!inSync || answeredUnknown))
        {
            _outage = true;
            _outageSince = _list.ConfirmedAt ?? _started;
            SignedStaticFilesLog.RevocationStateUnknown(_logger, _store.Name, _time.GetElapsedTime(_outageSince, now), failure);
        }

        if (!inSync)
        {
            return;
        }

        if (!_firstSync.Task.IsCompleted)
        {
            SignedStaticFilesLog.RevocationsLoaded(_logger, _list.Count, _store.Name, _time.GetElapsedTime(_started, now));
            _firstSync.TrySetResult();
        }

        if (_outage)
        {
            _outage = false;
            SignedStaticFilesLog.RevocationStateResynced(_logger, _store.Name, _time.GetElapsedTime(_outageSince, now), learned);
        }
    }

    private void Subscribe(IConnectionMultiplexer connection)
    {
        if (_subscribed)
        {
            return;
        }

        _subscribed = true;
        if (!_watchingReconnects)
        {
            _watchingReconnects = true;
            connection.ConnectionRestored += (_, _) => Nudge();
        }

        // The library subscribes again by itself after a reconnect; the heartbeat covers whatever was missed meanwhile.
        _ = connection.GetSubscriber().SubscribeAsync(_store.Channel, _onMessage).ContinueWith(
            task => _subscribed = !task.IsFaulted && !task.IsCanceled,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Compares this node's clock with Redis's (half the round trip either way): a node whose clock runs ahead by more
    /// than the skew allowance can mint links that escape a revocation. Logged once.
    /// </summary>
    private void CheckClock(DateTimeOffset server, DateTimeOffset sent, DateTimeOffset received)
    {
        if (_skewLogged || received - sent > TimeSpan.FromMilliseconds(200))
        {
            return;
        }

        var skew = sent + ((received - sent) / 2) - server;
        if (skew.Duration() > _options.ClockSkewAllowance / 2)
        {
            _skewLogged = true;
            SignedStaticFilesLog.RevocationClockSkew(_logger, _store.Name, skew, _options.ClockSkewAllowance);
        }
    }

    /// <summary>Once a minute, also without new revocations, drops stream entries that can no longer match a live link.</summary>
    private async Task TrimNowAndThenAsync()
    {
        var now = _time.GetTimestamp();
        if (_lastTrim != 0 && _time.GetElapsedTime(_lastTrim, now) < RevocationList.CompactionInterval)
        {
            return;
        }

        _lastTrim = now;
        await _store.TrimAsync((long)_list.Horizon.TotalMilliseconds).ConfigureAwait(false);
    }
}
