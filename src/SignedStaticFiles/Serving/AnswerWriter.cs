using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using SignedStaticFiles.Variants;

namespace SignedStaticFiles.Serving;

/// <summary>
/// Every answer of a protected path goes out through here: the leak-safe headers, the exclusion from
/// server-side caches, refusals (problem+json through the app's <c>IProblemDetailsService</c> when it has one,
/// the package's own body otherwise, a small HTML page for a browser navigation), and rendered variants.
/// Bodies never echo the token, the path or any other request value.
/// </summary>
internal sealed class AnswerWriter
{
    private static readonly Problem[] Problems = BuildProblems();

    private readonly IProblemDetailsService? _problemDetails;

    public AnswerWriter(IServiceProvider services)
    {
        _problemDetails = services.GetService<IProblemDetailsService>();
    }

    /// <summary>
    /// On every answer of the path, errors included: no Referer leak of the token, no shared caching, no
    /// indexing, no MIME sniffing, no cross-origin embedding, and uploaded HTML/SVG opened directly runs
    /// sandboxed, never as the app's origin (docs/security-model.md: leakage, stored XSS). The framework's
    /// output cache ignores <c>Cache-Control</c> by design, so storage is switched off for this request
    /// whatever the middleware order: a cached answer would replay a decision (a single-use link, a user's
    /// file) to the next caller without asking us.
    /// </summary>
    public static void Prepare(HttpContext context, string cacheControl)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = cacheControl;
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";
        if (context.Features.Get<IOutputCacheFeature>() is { } outputCache)
        {
            outputCache.Context.AllowCacheStorage = false;
            outputCache.Context.AllowCacheLookup = false;
        }
    }

    /// <summary>
    /// A browser may keep a copy only while the link works: every <c>max-age</c> in <paramref name="cacheControl"/>
    /// (any spelling: case, quotes, a value too large to read) above the whole seconds <paramref name="left"/> is
    /// rewritten to them; the other directives are kept as written. Folders without <c>max-age</c> (the default
    /// <c>private, no-store</c>) are left untouched and cost one search.
    /// </summary>
    public static void ClampMaxAge(HttpResponse response, string cacheControl, TimeSpan left)
    {
        if (cacheControl.Contains("max-age", StringComparison.OrdinalIgnoreCase))
        {
            response.Headers.CacheControl = ClampMaxAge(cacheControl, left <= TimeSpan.Zero ? 0 : (long)left.TotalSeconds);
        }
    }

    internal static string ClampMaxAge(string cacheControl, long maxSeconds)
    {
        var directives = cacheControl.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < directives.Length; i++)
        {
            var directive = directives[i];
            var equals = directive.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? directive : directive[..equals]).Trim();
            if (!name.Equals("max-age", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = equals < 0 ? string.Empty : directive[(equals + 1)..].Trim().Trim('"');
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > maxSeconds)
            {
                directives[i] = "max-age=" + maxSeconds.ToString(CultureInfo.InvariantCulture);
            }
        }

        return string.Join(", ", directives);
    }

    /// <summary>The status a refusal answers with.</summary>
    public static int StatusOf(SignedFileOutcome outcome) => Problems[(int)outcome].Status;

    /// <summary>Writes the refusal for <paramref name="outcome"/>.</summary>
    public async Task WriteRefusalAsync(HttpContext context, SignedFileOutcome outcome, TimeSpan? retryAfter = null, bool clampMaxAge = true)
    {
        var problem = Problems[(int)outcome];
        var response = context.Response;
        if (response.HasStarted)
        {
            return; // too late to say anything: the connection is aborted by whoever failed
        }

        response.StatusCode = problem.Status;
        var headers = response.Headers;

        // A refusal is never kept by the browser: a transient 503, or a 404 of a file that arrives later, would stick.
        if (clampMaxAge)
        {
            ClampMaxAge(response, headers.CacheControl.ToString(), TimeSpan.Zero);
        }
        headers.ETag = default;
        headers.LastModified = default;
        headers.ContentDisposition = default;
        headers.AcceptRanges = default;
        headers.ContentRange = default;
        if (outcome == SignedFileOutcome.MethodNotAllowed)
        {
            headers.Allow = "GET, HEAD";
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // A value at which a retry can succeed: the store or the queue is asked afresh on the next
            // request, and a single-use link refused with 503 was never consumed.
            headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds))
                .ToString(CultureInfo.InvariantCulture);
        }

        // Methods compare case-sensitively, as Kestrel does: "head" is not HEAD and gets a body.
        var isHead = string.Equals(context.Request.Method, HttpMethods.Head, StringComparison.Ordinal);
        if (IsNavigation(context.Request))
        {
            response.ContentType = "text/html; charset=utf-8";
            response.ContentLength = problem.Page.Length;
            if (!isHead)
            {
                await response.Body.WriteAsync(problem.Page);
            }

            return;
        }

        if (_problemDetails is not null && !isHead)
        {
            var written = await _problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = problem.Status, Title = problem.Title, Detail = problem.Detail, Type = problem.Type },
            });
            if (written)
            {
                return;
            }
        }

        response.ContentType = "application/problem+json";
        response.ContentLength = problem.Body.Length;
        if (!isHead)
        {
            await response.Body.WriteAsync(problem.Body);
        }
    }

    /// <summary>
    /// A browser navigation (the user opened the link in a tab): <c>Accept</c> has <c>text/html</c> and the
    /// fetch metadata says navigate/document/iframe. Image and script fetches never match.
    /// </summary>
    internal static bool IsNavigation(HttpRequest request)
    {
        var headers = request.Headers;
        if (!ContainsToken(headers.Accept, "text/html"))
        {
            return false;
        }

        return headers["Sec-Fetch-Mode"] is var mode && ContainsToken(mode, "navigate")
            || headers["Sec-Fetch-Dest"] is var dest && (ContainsToken(dest, "document") || ContainsToken(dest, "iframe"));
    }

    private static bool ContainsToken(StringValues values, string token)
    {
        foreach (var value in values)
        {
            if (value is not null && value.Contains(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Sends a rendered variant through the framework's own file result (ranges, 304, 412, 416) with the
    /// variant's validators. A date <c>If-Range</c> is never trusted for a variant: two renders can share a
    /// second, and a client must never join ranges of two different renders, so such a request gets the whole
    /// variant (RFC 9110 §13.1.5: a failed If-Range means a full answer).
    /// </summary>
    public static Task WriteVariantAsync(HttpContext context, VariantResult variant)
    {
        var ifRange = context.Request.Headers.IfRange;
        if (!StringValues.IsNullOrEmpty(ifRange) && !ifRange.ToString().TrimStart().StartsWith('"'))
        {
            context.Request.Headers.Range = default;
        }

        return Results.Bytes(
            variant.Content,
            variant.ContentType,
            fileDownloadName: null,
            enableRangeProcessing: true,
            lastModified: variant.LastModified,
            entityTag: EntityTagHeaderValue.Parse(variant.ETag)).ExecuteAsync(context);
    }

    /// <summary>Marks the answer as a download under <paramref name="fileName"/> (<c>filename</c> and <c>filename*</c>).</summary>
    public static void SetDownload(HttpResponse response, string fileName)
    {
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        response.Headers.ContentDisposition = disposition.ToString();
    }

    private static Problem[] BuildProblems()
    {
        var problems = new Problem[Enum.GetValues<SignedFileOutcome>().Length];
        Add(SignedFileOutcome.Served, 200, "OK", "Served.");
        Add(SignedFileOutcome.MissingToken, 403, "Signed link required", "This file is served only through a signed link.");
        Add(SignedFileOutcome.InvalidToken, 403, "Invalid link", "The link is malformed, altered, or was signed with a key this server does not accept.");
        Add(SignedFileOutcome.WrongPath, 403, "Link not valid for this file", "The link was signed for another file.");
        Add(SignedFileOutcome.WrongUser, 403, "Link not valid for this user", "The link was issued to another user; sign in as that user or ask for a new link.");
        Add(SignedFileOutcome.Expired, 410, "Link expired", "The link has expired; ask for a new one.");
        Add(SignedFileOutcome.NotFound, 404, "File not found", "No file is served at this address.");
        Add(SignedFileOutcome.MethodNotAllowed, 405, "Method not allowed", "Only GET and HEAD are allowed here.");
        Add(SignedFileOutcome.AlreadyUsed, 410, "Link already used", "This link worked once and has been used; ask for a new one.");
        Add(SignedFileOutcome.SingleUseStoreUnavailable, 503, "Service unavailable", "Single-use links cannot be checked right now; try again shortly.");
        Add(SignedFileOutcome.WatermarkBusy, 503, "Server busy", "Too many images are being prepared; try again shortly.");
        Add(SignedFileOutcome.WatermarkFailed, 422, "Image cannot be served", "This image cannot be prepared as the link requires, and it is never served without it.");
        Add(SignedFileOutcome.Revoked, 410, "Link revoked", "This link was revoked; ask for a new one.");
        Add(SignedFileOutcome.Aborted, 499, "Aborted", "The client went away.");
        Add(SignedFileOutcome.UnsupportedMediaType, 415, "File type not served", "This folder serves only images it can watermark and plain non-image files.");
        Add(SignedFileOutcome.StoreUnavailable, 503, "Service unavailable", "The file store cannot be reached right now; try again shortly.");
        Add(SignedFileOutcome.RevocationStateUnknown, 503, "Service unavailable", "This server cannot confirm the link's revocation state right now; try again shortly.");
        return problems;

        void Add(SignedFileOutcome outcome, int status, string title, string detail)
        {
            const string type = "about:blank"; // RFC 9457 §4.2.1: the status code says it all
            problems[(int)outcome] = new Problem(
                status,
                title,
                detail,
                type,
                JsonSerializer.SerializeToUtf8Bytes(new ProblemBody(type, title, status, detail), ProblemJsonContext.Default.ProblemBody),
                Encoding.UTF8.GetBytes(
                    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                    + "<title>" + title + "</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}"
                    + "h1{font-size:1.4rem}p.s{color:#666}</style></head><body><h1>" + title + "</h1><p>" + detail + "</p><p class=\"s\">"
                    + status.ToString(CultureInfo.InvariantCulture) + "</p></body></html>"));
        }
    }

    private sealed record Problem(int Status, string Title, string Detail, string Type, byte[] Body, byte[] Page);

    internal sealed record ProblemBody(string Type, string Title, int Status, string Detail);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(AnswerWriter.ProblemBody))]
internal sealed partial class ProblemJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
