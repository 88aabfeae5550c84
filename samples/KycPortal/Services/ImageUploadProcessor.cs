using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Processing;

namespace KycPortal.Services;

/// <summary>
/// Checks an uploaded identity image by its content and re-encodes it, in two steps so that a form is
/// judged whole before any of its files costs a decode:
/// <list type="number">
/// <item><see cref="CheckAsync(IFormFile?, CancellationToken)"/>, cheap: not empty, at most
/// <see cref="MaxBytes"/> (10 MB) read into memory whatever the multipart header claims; the first bytes are a
/// JPEG, PNG or WebP signature; the header (ImageSharp <c>Identify</c> over a configuration that registers only
/// those three decoders: no TIFF/BMP/GIF/TGA decoder is reachable) declares at most <see cref="MaxPixels"/>
/// (40 MP) and at most <see cref="MaxDecodedBytes"/> (128 MiB) once decoded at the image's own colour depth.
/// Pixels alone are not enough: a 308 KB 16-bit PNG of 6300 × 6300 is 39.7 MP but 238 MB decoded, and two of
/// them cost 3.8 CPU-seconds and +238 MB before this step existed (tests/KycPortal.Tests/UploadBombTests.cs);</item>
/// <item><see cref="ReencodeAsync"/>, only once every file of the form passed step 1: decode, apply the EXIF
/// orientation, drop every metadata profile (EXIF with its GPS position, XMP, IPTC, ICC, PNG text), re-encode in
/// the same format. The stored file is ours, not the uploader's bytes.</item>
/// </list>
/// Decoding is bounded to <see cref="MaxConcurrentDecodes"/> at a time so a burst of uploads cannot take all
/// the memory; each user's uploads are rate-limited as well (Program.cs, "uploads").
/// </summary>
public sealed class ImageUploadProcessor : IDisposable
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const long MaxPixels = 40_000_000;
    public const long MaxDecodedBytes = 128L * 1024 * 1024;
    public const int MinSide = 32;
    private const int MaxConcurrentDecodes = 2;

    public const string EmptyMessage = "The file is empty.";
    public const string MissingMessage = "Choose an image.";
    public const string TooLargeMessage = "The file is larger than 10 MB.";
    public const string NotAnImageMessage = "The file is not a JPEG, PNG or WebP image.";
    public const string TooManyPixelsMessage = "The image is larger than 40 megapixels.";
    public const string TooManyDecodedBytesMessage = "The image would take more than 128 MB of memory once decoded (too many pixels for its colour depth).";
    public const string TooSmallMessage = "The image is too small to be read (at least 32 × 32 pixels).";
    public const string UnreadableMessage = "The image is damaged and could not be read.";

    private readonly Configuration _configuration = CreateRestrictedConfiguration();
    private readonly SemaphoreSlim _decodeGate = new(MaxConcurrentDecodes, MaxConcurrentDecodes);

    /// <summary>Only JPEG, PNG and WebP: the other decoders of ImageSharp 2.1 (TIFF above all) are not reachable.</summary>
    internal static Configuration CreateRestrictedConfiguration() =>
        new(new JpegConfigurationModule(), new PngConfigurationModule(), new WebpConfigurationModule());

    /// <summary>Step 1 for an uploaded file: read (capped), signature, header. Never decodes a pixel.</summary>
    public async Task<UploadCheck> CheckAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return UploadCheck.Fail(MissingMessage);
        }

        if (file.Length == 0)
        {
            return UploadCheck.Fail(EmptyMessage);
        }

        if (file.Length > MaxBytes)
        {
            return UploadCheck.Fail(TooLargeMessage);
        }

        using var buffer = new MemoryStream((int)file.Length);
        await using (var upload = file.OpenReadStream())
        {
            if (!await CopyAtMostAsync(upload, buffer, MaxBytes, cancellationToken))
            {
                return UploadCheck.Fail(TooLargeMessage);
            }
        }

        return Check(buffer.ToArray());
    }

    /// <summary>Step 1 for bytes already in memory (the seed and the tests).</summary>
    internal UploadCheck Check(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return UploadCheck.Fail(EmptyMessage);
        }

        if (bytes.Length > MaxBytes)
        {
            return UploadCheck.Fail(TooLargeMessage);
        }

        // The signature first: a text file or a GIF named .jpg is refused without asking any decoder.
        if (!HasImageSignature(bytes))
        {
            return UploadCheck.Fail(NotAnImageMessage);
        }

        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var info = Image.Identify(_configuration, stream, out var format);
            if (info is null || format is null)
            {
                return UploadCheck.Fail(NotAnImageMessage);
            }

            var pixels = (long)info.Width * info.Height;
            if (pixels > MaxPixels)
            {
                return UploadCheck.Fail(TooManyPixelsMessage);
            }

            // What the decoder allocates for the pixels at the image's own depth: 3 bytes for 8-bit RGB, 6 for
            // 16-bit RGB, 8 for 16-bit RGBA. Rounded up for depths below a byte.
            var decodedBytes = pixels * Math.Max(1, (info.PixelType.BitsPerPixel + 7) / 8);
            if (decodedBytes > MaxDecodedBytes)
            {
                return UploadCheck.Fail(TooManyDecodedBytesMessage);
            }

            if (info.Width < MinSide || info.Height < MinSide)
            {
                return UploadCheck.Fail(TooSmallMessage);
            }

            return UploadCheck.Ok(new CheckedUpload(bytes, format, info.Width, info.Height, decodedBytes));
        }
        catch (UnknownImageFormatException)
        {
            return UploadCheck.Fail(NotAnImageMessage);
        }
        catch (Exception ex) when (IsImageFailure(ex))
        {
            return UploadCheck.Fail(UnreadableMessage);
        }
    }

    /// <summary>Step 2: decode, orient, strip, re-encode one upload that passed <see cref="Check(byte[])"/>.</summary>
    public async Task<UploadResult> ReencodeAsync(CheckedUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        await _decodeGate.WaitAsync(cancellationToken);
        try
        {
            using var input = new MemoryStream(upload.Bytes, writable: false);
            using var image = Image.Load(_configuration, input);
            image.Mutate(x => x.AutoOrient());
            StripMetadata(image);

            using var output = new MemoryStream();
            var (encoder, extension) = EncoderFor(upload.Format);
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

    /// <summary>Both steps over bytes already in memory (the seed and the tests).</summary>
    internal async Task<UploadResult> ProcessAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        var check = Check(bytes);
        return check.Upload is { } upload ? await ReencodeAsync(upload, cancellationToken) : UploadResult.Fail(check.Error!);
    }

    /// <summary>JPEG (FF D8 FF), PNG (89 'PNG' CR LF 1A LF) or WebP ('RIFF' size 'WEBP').</summary>
    internal static bool HasImageSignature(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])
        || bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        || (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8));

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
