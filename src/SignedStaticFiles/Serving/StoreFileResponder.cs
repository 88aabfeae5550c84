using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using SignedStaticFiles.Diagnostics;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Stores;

namespace SignedStaticFiles.Serving;

/// <summary>
/// Serves a file of an object store with static-file semantics, through the framework's own file result
/// (preconditions, ranges, HEAD), with validators from the object's own version. Logs a store outage once
/// per outage, not once per request.
/// </summary>
internal sealed class StoreFileResponder(ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("SignedStaticFiles.Stores");
    private readonly ConcurrentDictionary<string, bool> _outages = new(StringComparer.Ordinal);

    public async ValueTask<SignedFileOutcome> ServeAsync(SignedFileRequest request)
    {
        var context = request.HttpContext;
        var folder = request.Folder;
        var file = request.File!;
        string? contentType;
        if (!folder.Options.ContentTypeProvider.TryGetContentType(file.Path, out contentType))
        {
            if (!folder.Options.ServeUnknownFileTypes)
            {
                return SignedFileOutcome.NotFound;
            }

            contentType = folder.Options.DefaultContentType;
        }

        var etag = new EntityTagHeaderValue("\"" + (file.Version ?? (file.LastModified.UtcTicks ^ file.Length).ToString("x", System.Globalization.CultureInfo.InvariantCulture)) + "\"");
        var stream = new StoreReadStream(folder.Store, file, context.RequestAborted);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                await Results.File(stream, contentType, fileDownloadName: null, file.LastModified, etag, enableRangeProcessing: true).ExecuteAsync(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                if (e is SignedFileChangedException)
                {
                    return SignedFileOutcome.NotFound;
                }

                ReportOutage(folder, e);
                return SignedFileOutcome.StoreUnavailable;
            }
        }

        return SignedFileOutcome.Served;
    }

    public void ReportOutage(SignedFolder folder, Exception exception)
    {
        if (_outages.TryAdd(folder.Name, true))
        {
            SignedStaticFilesLog.StoreUnavailable(_logger, folder.Name, folder.Store.GetType().Name, exception);
        }
    }

    public void ReportAnswer(SignedFolder folder)
    {
        if (!_outages.IsEmpty && _outages.TryRemove(folder.Name, out _))
        {
            SignedStaticFilesLog.StoreRecovered(_logger, folder.Name, folder.Store.GetType().Name);
        }
    }
}
