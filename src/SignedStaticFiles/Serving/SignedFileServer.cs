using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SignedStaticFiles.Diagnostics;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Revocation;
using SignedStaticFiles.Signing;
using SignedStaticFiles.SingleUse;
using SignedStaticFiles.Stores;
using SignedStaticFiles.Variants;
using SignedStaticFiles.Watermarking;

namespace SignedStaticFiles.Serving;

/// <summary>
/// Serves every registered folder to requests that carry a valid signed link, and nothing to anyone else.
/// One straight line: folder by request path → method → token → unprotect (cache) → path / expiry / user →
/// the request context → single use reserved → optional variant step (the engine returns a result, writes
/// nothing) → the one serving branch writes (the framework's static files over a local folder, the store's
/// bytes, or the variant) → single use committed only when the answer delivers the file → metrics, log and
/// events once. Both forms run this one code path: the middleware (<c>UseSignedStaticFiles</c>) and the
/// endpoints (<c>MapSignedStaticFiles</c>), so an answer never depends on which form the app chose.
/// </summary>
internal sealed class SignedFileServer
{
    private readonly SignedFolderRegistry _folders;
    private readonly (SignedFolder Folder, StaticFileMiddleware Files)[] _staticFiles;
    private readonly TimeProvider _timeProvider;
    private readonly SignedStaticFilesMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SingleUseLinkGuard _singleUse;
    private readonly RevocationList _revocations;
    private readonly AnswerWriter _answers;
    private readonly StoreFileResponder _storeFiles;

    public SignedFileServer(
        IWebHostEnvironment environment,
        SignedFolderRegistry folders,
        TimeProvider timeProvider,
        SignedStaticFilesMetrics metrics,
        ILoggerFactory loggerFactory,
        SingleUseLinkGuard singleUse,
        RevocationList revocations,
        IServiceProvider services)
    {
        _folders = folders;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger("SignedStaticFiles");
        _singleUse = singleUse;
        _revocations = revocations;
        _answers = new AnswerWriter(services);
        _storeFiles = new StoreFileResponder(loggerFactory);

        var staticFiles = new List<(SignedFolder, StaticFileMiddleware)>();
        foreach (var folder in folders.Folders)
        {
            if (folder.LocalFiles is null)
            {
                continue;
            }

            // The framework's middleware serves local folders (ranges, ETags, preconditions, HEAD); it calls
            // the "next" delegate only when it declines (missing file, directory, unknown content type), which
            // is the only way a 404 of a local file arises.
            staticFiles.Add((folder, new StaticFileMiddleware(
                static context =>
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                },
                environment,
                Options.Create(new StaticFileOptions
                {
                    RequestPath = folder.RequestPath,
                    FileProvider = folder.LocalFiles,
                    ContentTypeProvider = folder.Options.ContentTypeProvider,
                    ServeUnknownFileTypes = folder.Options.ServeUnknownFileTypes,
                    DefaultContentType = folder.Options.DefaultContentType,
                    // Compressing secrets next to attacker-influenced bytes invites BREACH-style attacks.
                    HttpsCompression = Microsoft.AspNetCore.Http.Features.HttpsCompressionMode.DoNotCompress,
                }),
                loggerFactory)));
        }

        _staticFiles = [.. staticFiles];
    }

    /// <summary>
    /// The middleware form: requests under a folder's request path are answered here, every other request goes
    /// to <paramref name="next"/>.
    /// </summary>
    public RequestDelegate CreateMiddleware(RequestDelegate next) =>
        context => _folders.Match(context.Request.Path, out var subpath) is { } folder
            ? ServeAsync(new SignedFileRequest(context, folder, subpath))
            : next(context);

    /// <summary>Answers one request of <paramref name="folder"/>; <paramref name="subpath"/> is the path below its request path.</summary>
    public Task ServeAsync(HttpContext context, SignedFolder folder, PathString subpath) =>
        ServeAsync(new SignedFileRequest(context, folder, subpath));

    private async Task ServeAsync(SignedFileRequest request)
    {
        var started = _metrics.Start();
        var context = request.HttpContext;
        var options = request.Folder.Options;
        AnswerWriter.Prepare(context, options.CacheControl);

        var outcome = await DecideAsync(request);
        if (outcome == SignedFileOutcome.Served)
        {
            // This path is ours: an endpoint matched by routing (a fallback route, say) must not make the
            // framework's middleware step aside. (A refusal is written here and never reaches it.)
            context.SetEndpoint(null);

            // A browser copy must not outlive the link (tests: CacheControlClampTests).
            if (request.Folder.CacheControlHasMaxAge)
            {
                AnswerWriter.ClampMaxAge(context.Response, options.CacheControl, request.Link!.Expires - _timeProvider.GetUtcNow());
            }

            if (request.Link!.DownloadFileName is { } fileName)
            {
                AnswerWriter.SetDownload(context.Response, fileName);
            }
        }

        TimeSpan? retryAfter = null;
        try
        {
            if (outcome == SignedFileOutcome.Served)
            {
                // The common answer (a local file, a link neither single use nor asking for a variant) awaits the
                // framework's middleware right here: the framework's send goes asynchronous on a real connection,
                // and every async step of ours between it and the host would cost a state machine and a resumption
                // per request (docs/performance.md, B1 repeated).
                if (!request.Link!.SingleUse && !NeedsVariant(request) && StaticFilesOf(request.Folder) is { } staticFiles)
                {
                    await staticFiles.Invoke(context);
                    outcome = LocalOutcome(context.Response);
                }
                else
                {
                    (outcome, retryAfter) = await ServeFileAsync(request);
                }
            }
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            outcome = SignedFileOutcome.Aborted;
        }
        catch (Exception)
        {
            // Something below failed after the decision (a disk error mid-file, say): the client did not get the
            // answer, so the audit must not record a delivery. The host answers or aborts as it does for any
            // failure; the single-use reservation is settled in the finally block.
            outcome = SignedFileOutcome.Aborted;
            await CompleteAsync(request, outcome, started);
            throw;
        }
        finally
        {
            if (request.HoldsReservation)
            {
                await SettleSingleUseAsync(request, outcome);
            }
        }

        if (outcome != SignedFileOutcome.Served && outcome != SignedFileOutcome.Aborted)
        {
            await _answers.WriteRefusalAsync(context, outcome, retryAfter, request.Folder.CacheControlHasMaxAge);
        }
        else if (outcome == SignedFileOutcome.Served && context.RequestAborted.IsCancellationRequested)
        {
            // The framework's file sender swallows a client abort; the audit must not record a delivery.
            outcome = SignedFileOutcome.Aborted;
        }

        await CompleteAsync(request, outcome, started);
    }

    /// <summary>The decision: every check that needs no file, in order, each refusing with its own outcome.</summary>
    private async ValueTask<SignedFileOutcome> DecideAsync(SignedFileRequest request)
    {
        var context = request.HttpContext;
        var httpRequest = context.Request;

        // Case-sensitive, as Kestrel compares methods: "head" is an unknown method, not HEAD.
        var method = httpRequest.Method;
        if (!string.Equals(method, HttpMethods.Get, StringComparison.Ordinal) && !string.Equals(method, HttpMethods.Head, StringComparison.Ordinal))
        {
            return SignedFileOutcome.MethodNotAllowed;
        }

        var (token, tokenCount, oversized) = ReadToken(httpRequest.QueryString, request.Folder.Options.TokenParameterName, request.Folder.Options.MaxUrlLength);
        if (token.IsEmpty && !oversized)
        {
            return SignedFileOutcome.MissingToken;
        }

        // Two tokens is an attempt to confuse whatever reads the first versus the last: refuse. A token longer
        // than any URL minting allows is refused before any decoding.
        var link = tokenCount == 1 && !oversized
            ? request.Folder.Protector.UnprotectCached(token.Span)
            : null;
        if (link is null)
        {
            return SignedFileOutcome.InvalidToken;
        }

        request.Link = link;

        // The token binds the PathBase-relative path: never scheme or host, so links survive proxies.
        if (!string.Equals(link.Path, httpRequest.Path.Value, StringComparison.Ordinal))
        {
            return SignedFileOutcome.WrongPath;
        }

        if (_timeProvider.GetUtcNow() >= link.Expires)
        {
            return SignedFileOutcome.Expired;
        }

        // In memory on every request, after the cache of validated tokens, so a revocation applies to the next
        // request; 503 while a farm node cannot confirm it knows every revocation (docs/revocation.md).
        if (_revocations.Judge(link) is var revocation and not SignedFileOutcome.Served)
        {
            return revocation;
        }

        // A bound link is served only to its user. A mismatch is 403, not 401: the link is the credential, and
        // a challenge would only bounce a stranger to a sign-in page.
        if (link.UserId is not null && !string.Equals(await request.GetViewerIdAsync(), link.UserId, StringComparison.Ordinal))
        {
            return SignedFileOutcome.WrongUser;
        }

        // Defence in depth: the generator never signs such a path, but an app could sign raw input with its own
        // code; no traversal, backslash, NUL or dot-file ever reaches a store.
        if (!SignedPath.IsSafe(request.Subpath.Value))
        {
            return SignedFileOutcome.NotFound;
        }

        return SignedFileOutcome.Served;
    }

    /// <summary>The serving branch: the one place that writes a delivered file.</summary>
    private async ValueTask<(SignedFileOutcome, TimeSpan?)> ServeFileAsync(SignedFileRequest request)
    {
        var context = request.HttpContext;
        var link = request.Link!;
        var folder = request.Folder;
        var isHead = string.Equals(context.Request.Method, HttpMethods.Head, StringComparison.Ordinal);

        if (link.SingleUse)
        {
            var check = isHead ? await _singleUse.CheckUnusedAsync(context, link) : await _singleUse.ReserveAsync(context, link);
            if (check != SignedFileOutcome.Served)
            {
                return (check, null);
            }

            request.HoldsReservation = !isHead;

            // A single-use link is served whole: its one use must deliver every byte, never a 206 fragment, a
            // bodiless 304 or a 412 (docs/security-model.md: single use).
            SingleUseLinkGuard.ServeWhole(context);
        }

        var needsVariant = NeedsVariant(request);
        if (needsVariant)
        {
            if (folder.Engine is null)
            {
                // A link minted elsewhere asks for a stamp or a redaction this node cannot produce: never the original.
                return (SignedFileOutcome.WatermarkFailed, null);
            }

            if (await LookUpAsync(request) is { } missing)
            {
                return (missing, null);
            }

            var variantRequest = await BuildVariantRequestAsync(request);
            if (variantRequest is null)
            {
                return (SignedFileOutcome.WatermarkFailed, null);
            }

            VariantResult result;
            try
            {
                result = await folder.Engine.RenderAsync(variantRequest, context.RequestAborted);
            }
            catch (SignedFileChangedException)
            {
                return (SignedFileOutcome.NotFound, null);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                // The engine's contract is to return refusals, not throw; if it throws anyway the answer is still
                // a refusal, never the original and never a 500.
                SignedStaticFilesLog.VariantFailed(_logger, context.Request.Path.Value!, e);
                return (SignedFileOutcome.WatermarkFailed, null);
            }

            switch (result.Kind)
            {
                case VariantResultKind.Refused:
                    return (result.Outcome, result.RetryAfter);
                case VariantResultKind.Rendered:
                    await AnswerWriter.WriteVariantAsync(context, result);
                    return (SignedFileOutcome.Served, null);
            }

            // Original: the engine identified a non-image the folder may deliver as it is. It is served from the
            // very file the engine judged (the store refuses a file changed since), never re-opened by path: a
            // file replaced by a JPEG between the check and the send would otherwise go out unstamped.
        }

        if (!needsVariant && StaticFilesOf(folder) is { } staticFiles)
        {
            await staticFiles.Invoke(context);
            return (LocalOutcome(context.Response), null);
        }

        if (await LookUpAsync(request) is { } notServed)
        {
            return (notServed, null);
        }

        return (await _storeFiles.ServeAsync(request, judgedFile: needsVariant), null);
    }

    /// <summary>Whether the answer is a variant: the link asks for a stamp or a redaction, or the folder stamps every image.</summary>
    private static bool NeedsVariant(SignedFileRequest request) =>
        request.Link!.AsksForVariant || request.Folder.Options.Watermark.Mode == WatermarkMode.Always;

    /// <summary>The framework's middleware over <paramref name="folder"/>'s local files, or null for a store folder.</summary>
    private StaticFileMiddleware? StaticFilesOf(SignedFolder folder)
    {
        // A scan by reference: an app has a handful of folders, and this is cheaper than hashing one.
        foreach (var (candidate, files) in _staticFiles)
        {
            if (ReferenceEquals(candidate, folder))
            {
                return files;
            }
        }

        return null;
    }

    /// <summary>What the framework's middleware did: it declines (404 through our "next") only when there is no file to serve.</summary>
    private static SignedFileOutcome LocalOutcome(HttpResponse response) =>
        !response.HasStarted && response.StatusCode == StatusCodes.Status404NotFound ? SignedFileOutcome.NotFound : SignedFileOutcome.Served;

    /// <summary>Fills <see cref="SignedFileRequest.File"/> from the folder's store; an outcome when there is no file to serve.</summary>
    private async ValueTask<SignedFileOutcome?> LookUpAsync(SignedFileRequest request)
    {
        if (request.File is not null)
        {
            return null;
        }

        try
        {
            request.File = await request.Folder.Store.GetFileAsync(request.Subpath.Value!, request.HttpContext.RequestAborted);
        }
        catch (Exception e) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            _storeFiles.ReportOutage(request.Folder, e);
            return SignedFileOutcome.StoreUnavailable;
        }

        _storeFiles.ReportAnswer(request.Folder);
        return request.File is null ? SignedFileOutcome.NotFound : null;
    }

    /// <summary>What the engine is asked for, or null when the link asks for something this folder no longer has (fail closed: 422).</summary>
    private async ValueTask<VariantRequest?> BuildVariantRequestAsync(SignedFileRequest request)
    {
        var folder = request.Folder;
        var link = request.Link!;
        var watermark = folder.Options.Watermark;
        string? text = null, fallback = null;
        var template = link.WatermarkText ?? (watermark.Mode == WatermarkMode.Always ? watermark.Text : null);
        if (template is not null)
        {
            var viewer = await request.GetViewerAsync();
            var userId = link.UserId ?? await request.GetViewerIdAsync();
            var displayName = viewer.Identity?.IsAuthenticated == true ? viewer.FindFirst(watermark.DisplayNameClaimType)?.Value : null;
            var now = _timeProvider.GetUtcNow();
            text = WatermarkTemplate.Expand(template, WatermarkTemplate.UserLabel(displayName, userId), now, link.LinkId);
            fallback = WatermarkTemplate.Fallback(userId ?? "anonymous", now, link.LinkId);
        }

        List<RedactionRegion>? regions = null;
        if (link.Redaction is { } profile)
        {
            // The profile was checked at mint; a profile removed since then must not silently unmask.
            if (!folder.Options.Redactions.TryGetValue(profile, out var profileRegions))
            {
                return null;
            }

            regions = [.. profileRegions];
        }

        if (link.RedactionRegions is { Count: > 0 } own)
        {
            (regions ??= []).AddRange(own);
        }

        var options = folder.Options;
        var contentType = options.ContentTypeProvider.TryGetContentType(request.File!.Path, out var known) ? known
            : options.ServeUnknownFileTypes ? options.DefaultContentType : null;
        return new VariantRequest
        {
            FolderName = folder.Name,
            Path = link.Path,
            Store = folder.Store,
            File = request.File!,
            Required = watermark.Mode == WatermarkMode.Always,
            Text = text,
            FallbackText = fallback,
            Redactions = regions,
            ContentType = contentType,
            Options = watermark,
        };
    }

    /// <summary>
    /// Only an answer that delivers the file uses a single-use link up: 200 with the body started. Anything
    /// else (404, 415, 422, 503, an abort before the first byte) gives the use back.
    /// </summary>
    private async ValueTask SettleSingleUseAsync(SignedFileRequest request, SignedFileOutcome outcome)
    {
        var response = request.HttpContext.Response;
        var delivered = response.StatusCode == StatusCodes.Status200OK && response.HasStarted
            && outcome is SignedFileOutcome.Served or SignedFileOutcome.Aborted;
        if (delivered)
        {
            await _singleUse.CommitAsync(request.HttpContext, request.Link!);
        }
        else
        {
            await _singleUse.ReleaseAsync(request.HttpContext, request.Link!);
        }
    }

    /// <summary>Metrics, log and events, once per request; completes synchronously unless the app has events.</summary>
    private ValueTask CompleteAsync(SignedFileRequest request, SignedFileOutcome outcome, long started)
    {
        var context = request.HttpContext;
        var path = context.Request.Path.Value!;
        var link = request.Link;
        _metrics.Record(outcome, started);
        if (outcome == SignedFileOutcome.Served)
        {
            SignedStaticFilesLog.Served(_logger, path, link!.LinkId, context.Response.StatusCode);
        }
        else if (outcome is SignedFileOutcome.NotFound or SignedFileOutcome.MissingToken or SignedFileOutcome.MethodNotAllowed
            or SignedFileOutcome.SingleUseStoreUnavailable or SignedFileOutcome.StoreUnavailable or SignedFileOutcome.Aborted
            or SignedFileOutcome.RevocationStateUnknown)
        {
            // Outages are logged once by their own component, not once per refused request.
            SignedStaticFilesLog.Declined(_logger, path, outcome);
        }
        else
        {
            SignedStaticFilesLog.Refused(_logger, path, outcome, link?.LinkId);
        }

        var options = request.Folder.Options;
        var events = options.EventsType is { } eventsType
            ? (SignedStaticFilesEvents)context.RequestServices.GetRequiredService(eventsType)
            : options.Events;
        return SignedStaticFilesEvents.IsDefault(events) ? default : RaiseEventAsync(request, events, outcome);
    }

    private static async ValueTask RaiseEventAsync(SignedFileRequest request, SignedStaticFilesEvents events, SignedFileOutcome outcome)
    {
        // Events read the viewer the decision used (resolved once), as HttpContext.User.
        await request.GetViewerAsync();
        var context = request.HttpContext;
        var link = request.Link;
        var eventContext = new SignedFileEventContext(context, context.Request.Path.Value!, outcome, link?.UserId, link?.LinkId);
        await (outcome == SignedFileOutcome.Served ? events.Served(eventContext) : events.Rejected(eventContext));
    }

    /// <summary>
    /// The first value of the token parameter and how many there are, read as <c>Request.Query</c> would
    /// (names case-insensitive, percent-decoded) with the framework's own allocation-free enumerator.
    /// </summary>
    private static (ReadOnlyMemory<char> First, int Count, bool Oversized) ReadToken(QueryString query, string name, int maxLength)
    {
        ReadOnlyMemory<char> first = default;
        var count = 0;
        var oversized = false;
        foreach (var pair in new QueryStringEnumerable(query.Value))
        {
            if (pair.DecodeName().Span.Equals(name, StringComparison.OrdinalIgnoreCase) && count++ == 0)
            {
                // Judged on the encoded length first, so a 100 KB token is never decoded or copied.
                oversized = pair.EncodedValue.Length > maxLength * 3;
                if (!oversized)
                {
                    // A genuine token needs no decoding, so this is a slice of the query string: no copy.
                    first = pair.DecodeValue();
                    oversized = first.Length > maxLength;
                }
            }
        }

        return (first, count, oversized);
    }
}
