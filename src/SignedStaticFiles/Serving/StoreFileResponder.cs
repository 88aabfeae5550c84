using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using SignedStaticFiles.Diagnostics;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Stores;

namespace SignedStaticFiles.Serving;

/// <summary>
/// Serves a file of an object store with the static-file semantics of a local folder, through the framework's
/// own file result (preconditions, ranges, HEAD), with validators from the object's own version. A range is
/// fetched as a ranged read of exactly its bytes (a suffix range resolved from the object's length first).
/// Logs a store outage once per outage, not once per request.
/// </summary>
/// <remarks>
/// Freshness (docs/stores.md): metadata may be up to <see cref="SignedFileStoreOptions.MetadataCacheDuration"/>
/// old, but bytes never are. Every read is conditional on the version looked up; when the store says the object
/// changed before the answer has started, the file is looked up again and the answer computed afresh for the
/// new version (or 404 when it is gone). Once bytes are on the wire, a failure aborts the connection: a client
/// sees a broken transfer, never a complete-looking mix of two versions or a truncated body.
/// </remarks>
internal sealed class StoreFileResponder(ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("SignedStaticFiles.Stores");
    private readonly ConcurrentDictionary<string, bool> _outages = new(StringComparer.Ordinal);

    /// <param name="request">The request, its file looked up.</param>
    /// <param name="judgedFile">
    /// True when the image engine judged this very file deliverable as it is: a file changed since is then 404,
    /// never looked up afresh, because its new content was never judged.
    /// </param>
    public async ValueTask<SignedFileOutcome> ServeAsync(SignedFileRequest request, bool judgedFile = false)
    {
        var context = request.HttpContext;
        var folder = request.Folder;
        if (!folder.Options.ContentTypeProvider.TryGetContentType(request.File!.Path, out var contentType))
        {
            if (!folder.Options.ServeUnknownFileTypes)
            {
                return SignedFileOutcome.NotFound;
            }

            contentType = folder.Options.DefaultContentType;
        }

        // One fresh look-up when the object changed between look-up and read; a second change in a row is an
        // object being rewritten as we speak: 503, try again.
        for (var attempt = 0; ; attempt++)
        {
            var file = request.File!;
            try
            {
                await SendAsync(context, folder, file, contentType);
                ReportAnswer(folder);
                return SignedFileOutcome.Served;
            }
            catch (SignedFileChangedException) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                ReportAnswer(folder);
                if (judgedFile)
                {
                    return SignedFileOutcome.NotFound;
                }

                if (attempt > 0)
                {
                    return SignedFileOutcome.StoreUnavailable;
                }

                ResetResponse(context.Response);
                try
                {
                    request.File = await folder.Store.GetFileAsync(file.Path, context.RequestAborted);
                }
                catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
                {
                    ReportOutage(folder, e);
                    return SignedFileOutcome.StoreUnavailable;
                }

                if (request.File is null)
                {
                    return SignedFileOutcome.NotFound;
                }
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                if (e is not SignedFileChangedException)
                {
                    ReportOutage(folder, e);
                }

                if (context.Response.HasStarted)
                {
                    // Bytes are on the wire: only a broken connection tells the client this body is not whole.
                    context.Abort();
                }

                return SignedFileOutcome.StoreUnavailable;
            }
        }
    }

    public void ReportOutage(SignedFolder folder, Exception exception)
    {
        if (_outages.TryAdd(folder.Name, true))
        {
            SignedStaticFilesLog.StoreUnavailable(_logger, folder.Name, StoreName(folder), exception);
        }
    }

    public void ReportAnswer(SignedFolder folder)
    {
        if (!_outages.IsEmpty && _outages.TryRemove(folder.Name, out _))
        {
            SignedStaticFilesLog.StoreRecovered(_logger, folder.Name, StoreName(folder));
        }
    }

    /// <summary>
    /// The single byte range the answer will most likely send, resolved against the file's length as the
    /// framework's range handling does (RFC 9110 §14.1.2: a suffix range is the last N bytes; a last position
    /// past the end is clipped); null for no range, several ranges, another unit, or an unsatisfiable range
    /// (416: nothing is read). A plan the preconditions overrule costs one more read, never wrong bytes.
    /// </summary>
    internal static (long Offset, long Length)? PlanRange(HttpRequest request, long fileLength)
    {
        if (fileLength == 0 || !HttpMethods.IsGet(request.Method) || request.Headers.Range.Count == 0)
        {
            return null;
        }

        var range = new RequestHeaders(request.Headers).Range;
        if (range is null || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase) || range.Ranges.Count != 1)
        {
            return null;
        }

        var only = range.Ranges.First();
        long from, to;
        if (only.From is null)
        {
            var suffix = Math.Min(only.To ?? 0, fileLength);
            if (suffix <= 0)
            {
                return null;
            }

            (from, to) = (fileLength - suffix, fileLength - 1);
        }
        else
        {
            from = only.From.Value;
            to = Math.Min(only.To ?? fileLength - 1, fileLength - 1);
            if (from >= fileLength || to < from)
            {
                return null;
            }
        }

        return (from, to - from + 1);
    }

    private static async Task SendAsync(HttpContext context, SignedFolder folder, SignedFileInfo file, string? contentType)
    {
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // UseStaticFiles answers HEAD as the GET without its range (200): ranges apply to GET only.
            context.Request.Headers.Range = default;
        }

        var stream = new StoreReadStream(folder.Store, file, PlanRange(context.Request, file.Length), context.RequestAborted);
        await using (stream.ConfigureAwait(false))
        {
            await Results.File(stream, contentType, fileDownloadName: null, file.LastModified, ETagOf(file), enableRangeProcessing: true).ExecuteAsync(context);
        }

        AlignBodilessAnswer(context.Response, contentType);
    }

    /// <summary>
    /// The framework's file result and UseStaticFiles agree on every status and body, but not on the headers
    /// of answers without a body; a store's answers follow UseStaticFiles (the conformance table compares them):
    /// a 304 carries <c>Accept-Ranges</c> and <c>Content-Type</c>; a 412 or 416 carries no validators and no
    /// representation headers (a 416 keeps its <c>Content-Range: bytes */length</c>).
    /// </summary>
    private static void AlignBodilessAnswer(HttpResponse response, string? contentType)
    {
        if (response.HasStarted)
        {
            return;
        }

        var headers = response.Headers;
        switch (response.StatusCode)
        {
            case StatusCodes.Status304NotModified:
                headers.AcceptRanges = "bytes";
                if (contentType is not null)
                {
                    headers.ContentType = contentType;
                }

                break;
            case StatusCodes.Status412PreconditionFailed:
            case StatusCodes.Status416RangeNotSatisfiable:
                headers.ETag = default;
                headers.LastModified = default;
                headers.AcceptRanges = default;
                headers.ContentType = default;
                headers.ContentLength = default;
                break;
        }
    }

    /// <summary>
    /// The object's own version as a strong entity tag: it changes with every write, even of the same size in
    /// the same second (docs/stores.md: validators). A version that is not a valid entity-tag value is hashed.
    /// </summary>
    internal static EntityTagHeaderValue ETagOf(SignedFileInfo file)
    {
        var version = file.Version;
        if (string.IsNullOrEmpty(version))
        {
            version = (file.LastModified.UtcTicks ^ file.Length).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (!IsETagText(version))
        {
            version = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(version)).AsSpan(0, 16));
        }

        return new EntityTagHeaderValue("\"" + version + "\"");
    }

    /// <summary>RFC 9110 §8.8.3 etagc, ASCII only: <c>%x21 / %x23-7E</c>.</summary>
    private static bool IsETagText(string value)
    {
        foreach (var c in value)
        {
            if (c < 0x21 || c == '"' || c > 0x7E)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Undoes what the file result set before it read the first byte, so a fresh attempt starts clean.</summary>
    private static void ResetResponse(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        var headers = response.Headers;
        headers.ETag = default;
        headers.LastModified = default;
        headers.ContentType = default;
        headers.ContentLength = default;
        headers.AcceptRanges = default;
        headers.ContentRange = default;
    }

    private static string StoreName(SignedFolder folder) =>
        (folder.Store is CachedFileStore cached ? cached.Inner : folder.Store).GetType().Name;
}
