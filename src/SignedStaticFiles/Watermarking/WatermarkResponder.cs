using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SignedStaticFiles.Middleware;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Watermarking;

/// <summary>
/// The middleware's one call into watermarking, after a link was accepted. Decides whether the file must
/// be stamped; if so answers it — the variant, or an error — and the static-file middleware never sees
/// the request, so the original bytes cannot leak. The variant is answered through the framework's
/// <c>Results.File</c>, which applies the same preconditions and ranges as static files (200, 206, 304,
/// 412, 416) with the variant's own ETag.
/// </summary>
internal sealed class WatermarkResponder
{
    private readonly WatermarkService _service;
    private readonly WatermarkOptions _options;
    private readonly SignedStaticFilesOptions _root;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _retryAfter;

    public WatermarkResponder(WatermarkService service, IOptions<SignedStaticFilesOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _service = service;
        _root = options.Value;
        _options = _root.Watermark;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger("SignedStaticFiles.Watermarking");
        _retryAfter = Math.Max(1, (int)Math.Ceiling(_options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Answers the request when its file is an image that must carry a watermark and returns the outcome;
    /// returns <see langword="null"/> (without touching the response) when the file is to be served as is.
    /// </summary>
    public async ValueTask<SignedFileOutcome?> TryServeAsync(HttpContext context, IFileProvider files, PathString subpath, SignedLink link)
    {
        // A link's own text is honoured whatever the mode (fail closed: it was minted to be stamped).
        var template = link.WatermarkText ?? (_options.Mode == WatermarkMode.Always ? _options.Text : null);
        if (template is null)
        {
            return null;
        }

        var file = files.GetFileInfo(subpath.Value!);
        if (!file.Exists || file.IsDirectory || !await IsImageAsync(file, subpath.Value!, context.RequestAborted))
        {
            return null; // not an image: served unchanged (or 404) by the static-file middleware
        }

        var path = context.Request.Path.Value!;
        var text = WatermarkTemplate.Expand(template, UserOf(context, link), _timeProvider.GetUtcNow(), link.LinkId);
        var key = _service.VariantKey(path, file.Length, file.LastModified, text);

        WatermarkVariant? variant;
        try
        {
            variant = await _service.GetAsync(key, text, token => ReadAsync(file, token), context.RequestAborted);
        }
        catch (WatermarkFailedException e)
        {
            WatermarkLog.Failed(_logger, path, e.Message, e.InnerException);
            await ProblemResponses.WriteAsync(context, SignedFileOutcome.WatermarkFailed);
            return SignedFileOutcome.WatermarkFailed;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return SignedFileOutcome.WatermarkFailed; // the client went away: nobody to answer
        }

        if (variant is null)
        {
            WatermarkLog.QueueFull(_logger, path);
            context.Response.Headers.RetryAfter = _retryAfter;
            await ProblemResponses.WriteAsync(context, SignedFileOutcome.WatermarkBusy);
            return SignedFileOutcome.WatermarkBusy;
        }

        // Strong ETag from the variant key: same file version + text + settings ⇒ same bytes.
        var result = Results.File(
            variant.Content,
            variant.ContentType,
            fileDownloadName: null,
            lastModified: file.LastModified,
            entityTag: new EntityTagHeaderValue("\"wm-" + key + "\""),
            enableRangeProcessing: true);
        await result.ExecuteAsync(context);
        return SignedFileOutcome.Served;
    }

    /// <summary>
    /// An image by its content type (any <c>image/*</c>, so an SVG or a TIFF in a watermarked folder is
    /// refused rather than served unstamped), or by its first bytes whatever its name.
    /// </summary>
    private async ValueTask<bool> IsImageAsync(IFileInfo file, string subpath, CancellationToken cancellationToken)
    {
        if (_root.ContentTypeProvider.TryGetContentType(subpath, out var contentType)
            && contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var head = new byte[ImageContainer.SniffLength];
        await using var stream = file.CreateReadStream();
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        return ImageContainer.LooksLikeImage(head.AsSpan(0, read));
    }

    private async Task<byte[]> ReadAsync(IFileInfo file, CancellationToken cancellationToken)
    {
        // The cap is checked before reading, and again while reading (the file may grow meanwhile).
        if (file.Length > _options.MaxInputBytes)
        {
            throw new WatermarkFailedException($"the file is {file.Length} bytes, over WatermarkOptions.MaxInputBytes ({_options.MaxInputBytes})");
        }

        await using var stream = file.CreateReadStream();
        var buffer = new byte[Math.Max(0, file.Length)];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (read < buffer.Length || stream.ReadByte() >= 0)
        {
            throw new WatermarkFailedException("the file changed while it was read");
        }

        return buffer;
    }

    /// <summary>The bound user, else the signed-in user, else <c>anonymous</c>: who the stamp names.</summary>
    private static string UserOf(HttpContext context, SignedLink link) =>
        link.UserId
        ?? (context.User.Identity?.IsAuthenticated == true
            ? context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? context.User.Identity.Name
            : null)
        ?? "anonymous";
}
