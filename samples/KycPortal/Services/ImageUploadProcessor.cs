using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Processing;

namespace KycPortal.Services;

/// <summary>
/// Checks an uploaded identity image by its content and re-encodes it. The rules, in order, each cheap
/// before the next:
/// <list type="number">
/// <item>not empty, at most <see cref="MaxBytes"/> (10 MB): read into memory with that cap, whatever the
/// multipart header claims;</item>
/// <item>the bytes are JPEG, PNG or WebP — decided by ImageSharp's format detection over a configuration that
/// registers only those three (no TIFF/BMP/GIF/TGA decoder is reachable), never by the file name;</item>
/// <item><c>Identify</c> (headers only) then at most <see cref="MaxPixels"/> (40 MP): a few-KB "image bomb"
/// declaring 50,000 × 50,000 pixels is refused before a single pixel buffer is allocated;</item>
/// <item>decode, apply the EXIF orientation, drop every metadata profile (EXIF with its GPS position, XMP,
/// IPTC, ICC, PNG text), re-encode in the same format. The stored file is ours, not the uploader's bytes.</item>
/// </list>
/// Decoding is bounded to <see cref="MaxConcurrentDecodes"/> at a time so a burst of uploads cannot take
/// all the memory.
/// </summary>
public sealed class ImageUploadProcessor : IDisposable
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const long MaxPixels = 40_000_000;
    public const int MinSide = 32;
    private const int MaxConcurrentDecodes = 2;

    public const string EmptyMessage = "The file is empty.";
    public const string MissingMessage = "Choose an image.";
    public const string TooLargeMessage = "The file is larger than 10 MB.";
    public const string NotAnImageMessage = "The file is not a JPEG, PNG or WebP image.";
    public const string TooManyPixelsMessage = "The image is larger than 40 megapixels.";
    public const string TooSmallMessage = "The image is too small to be read (at least 32 × 32 pixels).";
    public const string UnreadableMessage = "The image is damaged and could not be read.";

    private readonly Configuration _configuration = CreateRestrictedConfiguration();
    private readonly SemaphoreSlim _decodeGate = new(MaxConcurrentDecodes, MaxConcurrentDecodes);

    /// <summary>Only JPEG, PNG and WebP: the other decoders of ImageSharp 2.1 (TIFF above all) are not reachable.</summary>
    internal static Configuration CreateRestrictedConfiguration() =>
        new(new JpegConfigurationModule(), new PngConfigurationModule(), new WebpConfigurationModule());

    public async Task<UploadResult> ProcessAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return UploadResult.Fail(MissingMessage);
        }

        if (file.Length == 0)
        {
            return UploadResult.Fail(EmptyMessage);
        }

        if (file.Length > MaxBytes)
        {
            return UploadResult.Fail(TooLargeMessage);
        }

        using var buffer = new MemoryStream((int)file.Length);
        await using (var upload = file.OpenReadStream())
        {
            if (!await CopyAtMostAsync(upload, buffer, MaxBytes, cancellationToken))
            {
                return UploadResult.Fail(TooLargeMessage);
            }
        }

        if (buffer.Length == 0)
        {
            return UploadResult.Fail(EmptyMessage);
        }

        return await DecodeAndReencodeAsync(buffer, cancellationToken);
    }

    /// <summary>Checks and re-encodes bytes already in memory (used by the tests and the seed).</summary>
    internal Task<UploadResult> ProcessAsync(byte[] bytes, CancellationToken cancellationToken) =>
        bytes.Length == 0 ? Task.FromResult(UploadResult.Fail(EmptyMessage))
        : bytes.Length > MaxBytes ? Task.FromResult(UploadResult.Fail(TooLargeMessage))
        : DecodeAndReencodeAsync(new MemoryStream(bytes, writable: false), cancellationToken);

    private async Task<UploadResult> DecodeAndReencodeAsync(MemoryStream buffer, CancellationToken cancellationToken)
    {
        IImageFormat? format;
        try
        {
            buffer.Position = 0;
            var info = Image.Identify(_configuration, buffer, out format);
            if (info is null || format is null)
            {
                return UploadResult.Fail(NotAnImageMessage);
            }

            if ((long)info.Width * info.Height > MaxPixels)
            {
                return UploadResult.Fail(TooManyPixelsMessage);
            }

            if (info.Width < MinSide || info.Height < MinSide)
            {
                return UploadResult.Fail(TooSmallMessage);
            }
        }
        catch (UnknownImageFormatException)
        {
            return UploadResult.Fail(NotAnImageMessage);
        }
        catch (Exception ex) when (IsImageFailure(ex))
        {
            return UploadResult.Fail(UnreadableMessage);
        }

        await _decodeGate.WaitAsync(cancellationToken);
        try
        {
            buffer.Position = 0;
            using var image = Image.Load(_configuration, buffer);
            image.Mutate(x => x.AutoOrient());
            StripMetadata(image);

            using var output = new MemoryStream();
            var (encoder, extension) = EncoderFor(format);
            await image.SaveAsync(output, encoder, cancellationToken);
            return UploadResult.Ok(new ProcessedImage(output.ToArray(), extension));
        }
        catch (Exception ex) when (IsImageFailure(ex))
        {
            return UploadResult.Fail(UnreadableMessage);
        }
        finally
        {
            _decodeGate.Release();
        }
    }

    private static bool IsImageFailure(Exception ex) =>
        ex is ImageFormatException or InvalidMemoryOperationException or NotSupportedException or EndOfStreamException;

    private static (IImageEncoder Encoder, string Extension) EncoderFor(IImageFormat format) => format switch
    {
        PngFormat => (new PngEncoder(), ".png"),
        WebpFormat => (new WebpEncoder { Quality = 90 }, ".webp"),
        _ => (new JpegEncoder { Quality = 90 }, ".jpg"),
    };

    /// <summary>Everything but the pixels goes: EXIF (camera, GPS), XMP, IPTC, ICC and PNG text chunks.</summary>
    private static void StripMetadata(Image image)
    {
        var metadata = image.Metadata;
        metadata.ExifProfile = null;
        metadata.XmpProfile = null;
        metadata.IptcProfile = null;
        metadata.IccProfile = null;
        metadata.GetPngMetadata().TextData.Clear();
        foreach (var frame in image.Frames)
        {
            frame.Metadata.ExifProfile = null;
            frame.Metadata.XmpProfile = null;
            frame.Metadata.IptcProfile = null;
            frame.Metadata.IccProfile = null;
        }
    }

    private static async Task<bool> CopyAtMostAsync(Stream source, Stream destination, long limit, CancellationToken cancellationToken)
    {
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
            {
                return false;
            }

            await destination.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        return true;
    }

    public void Dispose() => _decodeGate.Dispose();
}
