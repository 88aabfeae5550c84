using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SignedStaticFiles.Diagnostics;
using SignedStaticFiles.Signing;
using SignedStaticFiles.SingleUse;
using SignedStaticFiles.Watermarking;

namespace SignedStaticFiles.Middleware;

/// <summary>
/// Serves the protected folder to requests that carry a valid signed link, and nothing to anyone else.
/// One straight line: path match → method → token → unprotect → path/expiry/user → the framework's own
/// <see cref="StaticFileMiddleware"/> over the protected provider (ranges, ETags, preconditions, HEAD).
/// </summary>
internal sealed class SignedStaticFilesMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SignedStaticFilesOptions _options;
    private readonly PathString _requestPath;
    private readonly string _tokenParameterName;
    private readonly string _cacheControl;
    private readonly SignedLinkProtector _protector;
    private readonly TimeProvider _timeProvider;
    private readonly SignedStaticFilesMetrics _metrics;
    private readonly ILogger _logger;
    private readonly StaticFileMiddleware _staticFiles;
    private readonly SingleUseLinkGuard _singleUse;
    private readonly IFileProvider _fileProvider;
    private readonly WatermarkResponder _watermarks;

    public SignedStaticFilesMiddleware(
        RequestDelegate next,
        IWebHostEnvironment environment,
        IOptions<SignedStaticFilesOptions> options,
        SignedLinkProtector protector,
        TimeProvider timeProvider,
        SignedStaticFilesMetrics metrics,
        ILoggerFactory loggerFactory,
        SingleUseLinkGuard singleUse,
        WatermarkResponder watermarks)
    {
        _next = next;
        _options = options.Value;
        _requestPath = _options.RequestPath;
        _tokenParameterName = _options.TokenParameterName;
        _cacheControl = _options.CacheControl;
        _protector = protector;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger("SignedStaticFiles");
        _singleUse = singleUse;
        _watermarks = watermarks;
        _fileProvider = _options.FileProvider
            ?? new RootedFileProvider(SignedStaticFilesOptionsValidator.ResolveRoot(_options.RootPath, environment.ContentRootPath));

        // The framework's middleware does the serving; it calls WriteNotFound when it declines
        // (missing file, directory, unknown content type), which is the only way a 404 arises.
        _staticFiles = new StaticFileMiddleware(
            WriteNotFound,
            environment,
            Options.Create(new StaticFileOptions
            {
                RequestPath = _requestPath,
                FileProvider = _fileProvider,
                ContentTypeProvider = _options.ContentTypeProvider,
                ServeUnknownFileTypes = _options.ServeUnknownFileTypes,
                DefaultContentType = _options.DefaultContentType,
                // Compressing secrets next to attacker-influenced bytes invites BREACH-style attacks.
                HttpsCompression = Microsoft.AspNetCore.Http.Features.HttpsCompressionMode.DoNotCompress,
            }),
            loggerFactory);
    }

    public Task Invoke(HttpContext context) =>
        context.Request.Path.StartsWithSegments(_requestPath, StringComparison.OrdinalIgnoreCase, out var subpath)
            ? ServeAsync(context, subpath)
            : _next(context);

    private async Task ServeAsync(HttpContext context, PathString subpath)
    {
        var started = Stopwatch.GetTimestamp();
        ApplySecurityHeaders(context.Response);

        var (outcome, link) = await DecideAsync(context, subpath);
        if (outcome == SignedFileOutcome.Served)
        {
            if (link!.DownloadFileName is { } fileName)
            {
                var disposition = new ContentDispositionHeaderValue("attachment");
                disposition.SetHttpFileName(fileName);
                context.Response.Headers.ContentDisposition = disposition.ToString();
            }

            // This path is ours: an endpoint matched by routing (a fallback route, say) must not make the
            // framework's middleware step aside.
            context.SetEndpoint(null);

            // Watermarking (issue 4): an image that must be stamped is answered there, as the variant or an
            // error, and never reaches the static-file middleware (the original bytes cannot leak).
            if (await _watermarks.TryServeAsync(context, _fileProvider, subpath, link) is { } watermarked)
            {
                outcome = watermarked;
            }
            else
            {
                await _staticFiles.Invoke(context);
                if (context.Response.StatusCode == StatusCodes.Status404NotFound)
                {
                    outcome = SignedFileOutcome.NotFound;
                }
            }
        }
        else
        {
            await ProblemResponses.WriteAsync(context, outcome);
        }

        var path = context.Request.Path.Value!;
        _metrics.Record(outcome, started);
        var eventContext = new SignedFileEventContext(context, path, outcome, link?.UserId, link?.LinkId);
        if (outcome == SignedFileOutcome.Served)
        {
            SignedStaticFilesLog.Served(_logger, path, link!.LinkId, context.Response.StatusCode);
            await _options.Events.Served(eventContext);
        }
        else
        {
            LogRefusal(path, outcome, link);
            await _options.Events.Rejected(eventContext);
        }
    }

    private async ValueTask<(SignedFileOutcome, SignedLink?)> DecideAsync(HttpContext context, PathString subpath)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return (SignedFileOutcome.MethodNotAllowed, null);
        }

        var (token, tokenCount) = ReadToken(request.QueryString);
        if (string.IsNullOrEmpty(token))
        {
            return (SignedFileOutcome.MissingToken, null);
        }

        // Two tokens is an attempt to confuse whatever reads the first versus the last: refuse.
        var link = tokenCount == 1 ? _protector.UnprotectCached(token) : null;
        if (link is null)
        {
            return (SignedFileOutcome.InvalidToken, null);
        }

        // The token binds the PathBase-relative path: never scheme or host, so links survive proxies.
        if (!string.Equals(link.Path, request.Path.Value, StringComparison.Ordinal))
        {
            return (SignedFileOutcome.WrongPath, link);
        }

        if (_timeProvider.GetUtcNow() >= link.Expires)
        {
            return (SignedFileOutcome.Expired, link);
        }

        if (link.UserId is not null && !await IsBoundUserAsync(context, link.UserId))
        {
            return (SignedFileOutcome.WrongUser, link);
        }

        // Defence in depth: the generator never signs such a path, but an app could sign raw input with
        // its own code; no traversal, backslash, NUL or dot-file ever reaches the file provider.
        if (!SignedPath.IsSafe(subpath.Value))
        {
            return (SignedFileOutcome.NotFound, link);
        }

        // Last, so that only a link that would otherwise be served is consumed (T5). HEAD/Range policy:
        // see SingleUseLinkGuard.
        if (link.SingleUse)
        {
            return (await _singleUse.CheckAsync(context, link), link);
        }

        return (SignedFileOutcome.Served, link);
    }

    /// <summary>
    /// The first value of the token parameter and how many there are, read as <c>Request.Query</c> would
    /// (names case-insensitive, percent-decoded) with the framework's own allocation-free enumerator,
    /// without building the whole query collection on every request.
    /// </summary>
    private (string? First, int Count) ReadToken(QueryString query)
    {
        string? first = null;
        var count = 0;
        foreach (var pair in new QueryStringEnumerable(query.Value))
        {
            if (pair.DecodeName().Span.Equals(_tokenParameterName, StringComparison.OrdinalIgnoreCase) && count++ == 0)
            {
                first = pair.DecodeValue().ToString();
            }
        }

        return (first, count);
    }

    /// <summary>
    /// A bound link is served only to its user. When this middleware runs before UseAuthentication the
    /// request's user is not known yet, so it authenticates with the default scheme itself. A mismatch is
    /// 403, not 401: the link is the credential, and a challenge would only bounce a stranger to sign-in.
    /// </summary>
    private static async ValueTask<bool> IsBoundUserAsync(HttpContext context, string userId)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true
            && context.RequestServices.GetService<IAuthenticationSchemeProvider>() is { } schemes
            && await schemes.GetDefaultAuthenticateSchemeAsync() is not null)
        {
            var result = await context.AuthenticateAsync();
            if (result.Succeeded)
            {
                user = result.Principal;
            }
        }

        return user.Identity?.IsAuthenticated == true
            && string.Equals(user.FindFirst(ClaimTypes.NameIdentifier)?.Value, userId, StringComparison.Ordinal);
    }

    /// <summary>
    /// On every answer of the path, errors included: no Referer leak of the token to third parties, no
    /// caching by shared caches, no indexing, no MIME sniffing, no cross-origin embedding, and uploaded
    /// HTML/SVG opened directly runs sandboxed, never as the app's origin (T9, T10).
    /// </summary>
    private void ApplySecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.CacheControl = _cacheControl;
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";
    }

    private static Task WriteNotFound(HttpContext context) => ProblemResponses.WriteAsync(context, SignedFileOutcome.NotFound);

    private void LogRefusal(string path, SignedFileOutcome outcome, SignedLink? link)
    {
        // A store outage is logged once by SingleUseLinkGuard, not once per refused request.
        if (outcome is SignedFileOutcome.NotFound or SignedFileOutcome.MissingToken or SignedFileOutcome.MethodNotAllowed
            or SignedFileOutcome.SingleUseStoreUnavailable)
        {
            SignedStaticFilesLog.Declined(_logger, path, outcome);
        }
        else
        {
            SignedStaticFilesLog.Refused(_logger, path, outcome, link?.LinkId);
        }
    }
}
