using SignedStaticFiles.ImageSharp.Content;
using SignedStaticFiles.ImageSharp.Engine;
using SignedStaticFiles.ImageSharp.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SignedStaticFiles.ImageSharp;

/// <summary>
/// Makes an uploaded image safe to keep and serve: bytes in, a freshly encoded JPEG, PNG or WebP out, turned
/// upright by its EXIF orientation, with no metadata at all (no GPS, camera, ICC, XMP, IPTC, comments) and
/// nothing of the upload's bytes but its pixels (a polyglot's second life, trailing data, extra frames are
/// gone). The same rules as the image engine: only the JPEG, PNG and WebP decoders exist, metadata is never
/// parsed (only the orientation tag is read, from the raw EXIF block), and the byte, megapixel and
/// decoded-byte caps are checked before any pixel is decoded. Thread-safe.
/// </summary>
public static class SafeImageReencoder
{
    /// <summary>Re-encodes <paramref name="content"/>.</summary>
    /// <param name="content">The uploaded bytes.</param>
    /// <param name="options">Limits and output format; <see langword="null"/> for the defaults.</param>
    /// <returns>The re-encoded image.</returns>
    /// <exception cref="ImageReencodeException">The upload is refused; <see cref="ImageReencodeException.Error"/> says why.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (a cap not positive, quality not 1–100).</exception>
    public static ReencodedImage Reencode(ReadOnlySpan<byte> content, SafeReencodeOptions? options = null)
    {
        options ??= new SafeReencodeOptions();
        Validate(options);
        if (content.IsEmpty)
        {
            throw new ImageReencodeException(ImageReencodeError.Empty, "The upload is empty.");
        }

        if (content.Length > options.MaxInputBytes)
        {
            throw new ImageReencodeException(ImageReencodeError.TooManyBytes, $"The upload is {content.Length} bytes, over the limit ({options.MaxInputBytes}).");
        }

        var head = content[..Math.Min(content.Length, ContentSniffer.HeadLength)];
        if (ContentSniffer.Sniff(head) == ContentKind.Other)
        {
            throw new ImageReencodeException(ImageReencodeError.UnsupportedFormat, $"The upload is {ContentSniffer.Describe(head)}, not a JPEG, PNG or WebP image.");
        }

        var data = content.ToArray();
        DecodePlan plan;
        try
        {
            plan = ImageDecoding.Plan(data, new ImageLimits(options.MaxInputBytes, options.MaxMegapixels, options.MaxDecodedBytes));
        }
        catch (ImageRefusedException e)
        {
            throw Translate(e);
        }

        var format = options.Format switch
        {
            ReencodeFormat.Jpeg => (IImageFormat)JpegFormat.Instance,
            ReencodeFormat.Png => PngFormat.Instance,
            ReencodeFormat.Webp => WebpFormat.Instance,
            _ => plan.Format,
        };

        try
        {
            return format == JpegFormat.Instance && !plan.HasAlpha
                ? Encode<Rgb24>(data, format, options.Quality)
                : Encode<Rgba32>(data, format, options.Quality);
        }
        catch (ImageRefusedException e)
        {
            throw Translate(e);
        }
    }

    /// <summary>Reads at most <see cref="SafeReencodeOptions.MaxInputBytes"/> + 1 bytes of <paramref name="content"/> and re-encodes them.</summary>
    /// <param name="content">The upload (a form file's stream, a request body).</param>
    /// <param name="options">Limits and output format; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The re-encoded image.</returns>
    /// <exception cref="ImageReencodeException">The upload is refused; <see cref="ImageReencodeException.Error"/> says why.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static async Task<ReencodedImage> ReencodeAsync(Stream content, SafeReencodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= new SafeReencodeOptions();
        Validate(options);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > options.MaxInputBytes)
            {
                throw new ImageReencodeException(ImageReencodeError.TooManyBytes, $"The upload is over the limit ({options.MaxInputBytes} bytes).");
            }
        }

        return Reencode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options);
    }

    private static ReencodedImage Encode<TPixel>(byte[] data, IImageFormat format, int quality)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var image = ImageDecoding.Decode<TPixel>(data);
        if (image.Frames.Count > 1)
        {
            throw new ImageReencodeException(ImageReencodeError.Animated, "The upload has several frames.");
        }

        OrientStep.Instance.Apply(image, data);
        StripMetadataStep.Instance.Apply(image, data);
        if (format == JpegFormat.Instance && typeof(TPixel) == typeof(Rgba32))
        {
            // JPEG has no alpha: flatten onto white, as a browser shows a transparent image on a white page.
            image.Mutate(x => x.BackgroundColor(Color.White));
        }

        using var output = new MemoryStream(Math.Max(4096, data.Length));
        IImageEncoder encoder = format == PngFormat.Instance ? new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit8 }
            : format == WebpFormat.Instance ? new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = quality }
            : new JpegEncoder { Quality = quality };
        image.Save(output, encoder);
        var extension = format == PngFormat.Instance ? ".png" : format == WebpFormat.Instance ? ".webp" : ".jpg";
        return new ReencodedImage(output.ToArray(), format.DefaultMimeType, extension, image.Width, image.Height);
    }

    private static ImageReencodeException Translate(ImageRefusedException e) => new(
        e.Reason switch
        {
            "too_large" => ImageReencodeError.TooManyBytes,
            "too_many_pixels" => ImageReencodeError.TooManyPixels,
            "too_many_decoded_bytes" => ImageReencodeError.TooManyDecodedBytes,
            "truncated" => ImageReencodeError.Truncated,
            "unsupported_media_type" => ImageReencodeError.Animated,
            _ => ImageReencodeError.Corrupt,
        },
        "The upload is refused: " + e.Message + ".",
        e.InnerException);

    private static void Validate(SafeReencodeOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxInputBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDecodedBytes, 1, nameof(options));
        if (!(options.MaxMegapixels > 0) || double.IsInfinity(options.MaxMegapixels))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxMegapixels, "SafeReencodeOptions.MaxMegapixels must be a positive number.");
        }

        if (options.Quality is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Quality, "SafeReencodeOptions.Quality must be between 1 and 100.");
        }

        if (!Enum.IsDefined(options.Format))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Format, "SafeReencodeOptions.Format is not a defined value.");
        }
    }
}
