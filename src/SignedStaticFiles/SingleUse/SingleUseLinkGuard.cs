using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using SignedStaticFiles.Diagnostics;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.SingleUse;

/// <summary>
/// The single-use step of the middleware's decision chain: consults the <see cref="ISingleUseLinkStore"/>,
/// fails closed when it cannot answer, logs an outage once (not once per request), and shapes the request
/// so that the one use of a link always delivers the whole file.
/// </summary>
/// <remarks>
/// <para>The policy, and why:</para>
/// <list type="bullet">
/// <item><c>GET</c> consumes the link. It is served whole: <c>Range</c>, <c>If-Range</c> and every
/// conditional header (<c>If-None-Match</c>, <c>If-Modified-Since</c>, <c>If-Match</c>,
/// <c>If-Unmodified-Since</c>) are dropped before the file is answered, so the one use is always a 200 with
/// every byte, never a 206 fragment, a bodiless 304 or a 412 that would burn the link and leave the browser
/// with half an image and a link that now answers 410.</item>
/// <item>The answer says <c>Accept-Ranges: none</c> (RFC 9110 §14.3): a client must not try to resume it.</item>
/// <item><c>HEAD</c> does not consume: it answers exactly what the consuming <c>GET</c> would (200 and the
/// headers while the link is unused, 410 once used), so a link checker or a preview bot that probes with
/// HEAD does not burn the link.</item>
/// <item>The link is consumed when the server accepts it, before the bytes are sent: a client that drops
/// the connection mid-transfer has used it. Giving the use back on failure would open a replay window.</item>
/// <item>The store's record outlives the link's expiry by <see cref="ClockSkewAllowance"/>: a node whose
/// clock runs behind still finds the record while it considers the link alive.</item>
/// </list>
/// </remarks>
internal sealed class SingleUseLinkGuard
{
    /// <summary>How long after its expiry the record of a used link is kept.</summary>
    internal static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(1);

    private readonly ISingleUseLinkStore _store;
    private readonly ILogger _logger;
    private int _outage;

    public SingleUseLinkGuard(ISingleUseLinkStore store, ILoggerFactory loggerFactory)
    {
        _store = store;
        _logger = loggerFactory.CreateLogger("SignedStaticFiles");
    }

    /// <summary>Whether the last call to the store failed (an outage is in progress).</summary>
    internal bool InOutage => Volatile.Read(ref _outage) == 1;

    /// <summary>
    /// <see cref="SignedFileOutcome.Served"/> when the single-use link may be answered (and, for GET, has
    /// just been consumed), <see cref="SignedFileOutcome.AlreadyUsed"/> or
    /// <see cref="SignedFileOutcome.SingleUseStoreUnavailable"/> otherwise.
    /// </summary>
    public async ValueTask<SignedFileOutcome> CheckAsync(HttpContext context, SignedLink link)
    {
        var aborted = context.RequestAborted;
        bool usable;
        try
        {
            usable = HttpMethods.IsHead(context.Request.Method)
                ? !await _store.IsConsumedAsync(link.LinkId, aborted)
                : await _store.TryConsumeAsync(link.LinkId, link.Expires + ClockSkewAllowance, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Fail closed on whatever the store throws: a 503 for this link, never a 500 or a second use.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            if (Interlocked.Exchange(ref _outage, 1) == 0)
            {
                SignedStaticFilesLog.SingleUseStoreUnavailable(_logger, _store.GetType().Name, exception);
            }

            return SignedFileOutcome.SingleUseStoreUnavailable;
        }

        if (Volatile.Read(ref _outage) == 1 && Interlocked.Exchange(ref _outage, 0) == 1)
        {
            SignedStaticFilesLog.SingleUseStoreRecovered(_logger, _store.GetType().Name);
        }

        if (!usable)
        {
            return SignedFileOutcome.AlreadyUsed;
        }

        ServeWhole(context);
        return SignedFileOutcome.Served;
    }

    /// <summary>Drops the headers that could turn the one use into a partial or bodiless answer.</summary>
    internal static void ServeWhole(HttpContext context)
    {
        var headers = context.Request.Headers;
        headers.Range = default;
        headers.IfRange = default;
        headers.IfMatch = default;
        headers.IfNoneMatch = default;
        headers.IfModifiedSince = default;
        headers.IfUnmodifiedSince = default;

        // The static-file middleware writes "Accept-Ranges: bytes"; overwrite it as the headers go out.
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            response.Headers[HeaderNames.AcceptRanges] = "none";
            return Task.CompletedTask;
        }, context.Response);
    }
}
