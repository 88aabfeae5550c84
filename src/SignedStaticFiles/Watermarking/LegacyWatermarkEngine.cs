using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Logging;
using SignedStaticFiles.Stores;
using SignedStaticFiles.Variants;

namespace SignedStaticFiles.Watermarking;

/// <summary>
/// The v1 watermark pipeline behind the <see cref="IVariantEngine"/> seam, until the image engine moves to
/// its own package (SignedStaticFiles.ImageSharp). Produces stamps only; a redaction request is refused (422).
/// </summary>
internal sealed class LegacyWatermarkEngine(WatermarkService service, ILoggerFactory loggerFactory) : IVariantEngine
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger("SignedStaticFiles.Watermarking");

    public async ValueTask<VariantResult> RenderAsync(VariantRequest request, CancellationToken cancellationToken)
    {
        if (request.Redactions is { Count: > 0 })
        {
            return VariantResult.Refused(SignedFileOutcome.WatermarkFailed);
        }

        if (request.Text is not { } text || !await IsImageAsync(request, cancellationToken))
        {
            return VariantResult.Original;
        }

        var key = service.VariantKey(request.Path, request.File.Length, request.File.LastModified, text);
        WatermarkVariant? variant;
        try
        {
            variant = await service.GetAsync(key, text, token => ReadAsync(request, token), cancellationToken);
        }
        catch (WatermarkFailedException e)
        {
            WatermarkLog.Failed(_logger, request.Path, e.Message, e.InnerException);
            return VariantResult.Refused(SignedFileOutcome.WatermarkFailed);
        }

        if (variant is null)
        {
            WatermarkLog.QueueFull(_logger, request.Path);
            return VariantResult.Refused(SignedFileOutcome.WatermarkBusy, request.Options.RetryAfter);
        }

        return VariantResult.Rendered(variant.Content, variant.ContentType, "\"wm-" + key + "\"", request.File.LastModified);
    }

    private static async ValueTask<bool> IsImageAsync(VariantRequest request, CancellationToken cancellationToken)
    {
        if (ContentTypes.TryGetContentType(request.File.Path, out var contentType)
            && contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var head = new byte[ImageContainer.SniffLength];
        await using var stream = await request.Store.OpenReadAsync(request.File, 0, Math.Min(head.Length, request.File.Length), cancellationToken);
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        return ImageContainer.LooksLikeImage(head.AsSpan(0, read));
    }

    private static async Task<byte[]> ReadAsync(VariantRequest request, CancellationToken cancellationToken)
    {
        var file = request.File;
        if (file.Length > request.Options.MaxInputBytes)
        {
            throw new WatermarkFailedException($"the file is {file.Length} bytes, over WatermarkOptions.MaxInputBytes ({request.Options.MaxInputBytes})");
        }

        Stream stream;
        try
        {
            stream = await request.Store.OpenReadAsync(file, 0, null, cancellationToken);
        }
        catch (SignedFileChangedException e)
        {
            throw new WatermarkFailedException("the file changed while it was read", e);
        }

        await using (stream)
        {
            var buffer = new byte[file.Length];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            if (read < buffer.Length || stream.ReadByte() >= 0)
            {
                throw new WatermarkFailedException("the file changed while it was read");
            }

            return buffer;
        }
    }
}
