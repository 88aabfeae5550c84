using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using SignedStaticFiles.Diagnostics;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.SingleUse;

/// <summary>
/// The single-use step of the serving branch: consults the <see cref="ISingleUseLinkStore"/>, fails closed
/// when it cannot answer, and logs an outage once (not once per request).
/// </summary>
/// <remarks>
/// <para>The policy, and why:</para>
/// <list type="bullet">
/// <item><c>GET</c> reserves the one use before anything is sent; only an answer that delivers the file (200,
/// body started) commits it; 404, 415, 422, 503 or an abort before the first byte release it, so the link works
/// again. While the use is reserved, other requests get 410. A node that dies mid-answer leaves the link used.</item>
/// <item>The one use is served whole: <c>Range</c>, <c>If-Range</c> and every conditional header are dropped, so
/// it is always a 200 with every byte, never a 206 fragment, a bodiless 304 or a 412; the answer says
/// <c>Accept-Ranges: none</c> (RFC 9110 §14.3).</item>
/// <item><c>HEAD</c> never reserves: it answers what the <c>GET</c> would (200 and the headers while unused, 410
/// once used), so a link checker does not burn the link.</item>
/// <item>The record outlives the link's expiry by <see cref="ClockSkewAllowance"/>: a node whose clock runs
/// behind still finds it while it considers the link alive.</item>
/// </list>
/// </remarks>
internal sealed class SingleUseLinkGuard
{
    /// <summary>How long after its expiry the record of a used link is kept.</summary>
    internal static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(1);

    /// <summary>How long a commit or a release may take once the answer is over.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(5);

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

    /// <summary>GET: reserves the one use. <see cref="SignedFileOutcome.Served"/> when this request holds it.</summary>
    public ValueTask<SignedFileOutcome> ReserveAsync(HttpContext context, SealedLink link) =>
        AskAsync(link, (store, l, ct) => store.TryReserveAsync(l.LinkId, l.Expires + ClockSkewAllowance, ct), context.RequestAborted);

    /// <summary>HEAD: whether the link is still unused, without reserving anything.</summary>
    public ValueTask<SignedFileOutcome> CheckUnusedAsync(HttpContext context, SealedLink link) =>
        AskAsync(link, async (store, l, ct) => !await store.IsConsumedAsync(l.LinkId, ct), context.RequestAborted);

    /// <summary>The answer delivered the file: the use is final.</summary>
    /// <remarks>A failed commit changes nothing a client can see: the reservation already holds the use until expiry.</remarks>
    public ValueTask CommitAsync(HttpContext context, SealedLink link) =>
        SettleAsync((store, ct) => store.CommitAsync(link.LinkId, link.Expires + ClockSkewAllowance, ct));

    /// <summary>The answer did not deliver the file: give the use back.</summary>
    /// <remarks>Fail closed: a use that cannot be given back stays used.</remarks>
    public ValueTask ReleaseAsync(HttpContext context, SealedLink link) =>
        SettleAsync((store, ct) => store.ReleaseAsync(link.LinkId, ct));

    /// <summary>Commit or release once the answer is over: bounded in time, not tied to the request, an outage logged once.</summary>
    private async ValueTask SettleAsync(Func<ISingleUseLinkStore, CancellationToken, ValueTask> settle)
    {
        using var timeout = new CancellationTokenSource(SettleTimeout);
        try
        {
            await settle(_store, timeout.Token);
        }
#pragma warning disable CA1031 // See CommitAsync and ReleaseAsync: either way the link is never used twice.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportOutage(exception);
        }
    }

    private async ValueTask<SignedFileOutcome> AskAsync(
        SealedLink link, Func<ISingleUseLinkStore, SealedLink, CancellationToken, ValueTask<bool>> ask, CancellationToken aborted)
    {
        bool usable;
        try
        {
            usable = await ask(_store, link, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Fail closed on whatever the store throws: a 503 for this link, never a 500 or a second use.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportOutage(exception);
            return SignedFileOutcome.SingleUseStoreUnavailable;
        }

        if (Volatile.Read(ref _outage) == 1 && Interlocked.Exchange(ref _outage, 0) == 1)
        {
            SignedStaticFilesLog.SingleUseStoreRecovered(_logger, _store.GetType().Name);
        }

        return usable ? SignedFileOutcome.Served : SignedFileOutcome.AlreadyUsed;
    }

    private void ReportOutage(Exception exception)
    {
        if (Interlocked.Exchange(ref _outage, 1) == 0)
        {
            SignedStaticFilesLog.SingleUseStoreUnavailable(_logger, _store.GetType().Name, exception);
        }
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
            if (response.StatusCode == StatusCodes.Status200OK)
            {
                response.Headers[HeaderNames.AcceptRanges] = "none";
            }

            return Task.CompletedTask;
        }, context.Response);
    }
}
