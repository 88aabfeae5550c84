using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SignedStaticFiles.Watermarking;

/// <summary>
/// Bytes in, watermarked bytes out — the pure part of the pipeline, with every safety rule of DESIGN §4
/// applied in order: byte cap (by the caller) → container checks → <c>Identify</c> → megapixel cap →
/// decode with metadata off → orientation → stamp → encode in the source format without metadata.
/// </summary>
internal sealed class WatermarkImageProcessor
{
    private readonly Configuration _configuration;
    private readonly IWatermarkTextRenderer _renderer;
    private readonly WatermarkOptions _options;
    private readonly Image<Rgba32>? _overlay;
    private long _decodes;

    public WatermarkImageProcessor(IWatermarkTextRenderer renderer, WatermarkOptions options, Image<Rgba32>? overlay)
    {
        _renderer = renderer;
        _options = options;
        _overlay = overlay;
        _configuration = CreateConfiguration();
    }

    /// <summary>How many images were decoded (pixels, not just headers) since start: a test and metrics probe.</summary>
    public long Decodes => Interlocked.Read(ref _decodes);

    /// <summary>
    /// Only JPEG, PNG and WebP: no TIFF, BMP, GIF or TGA decoder is even registered (ImageSharp 2.1.13 has
    /// open advisories in TIFF and ICC code). Every decoder ignores metadata, so no ICC profile is ever
    /// parsed; the EXIF orientation is read separately from the raw block. A small memory pool, so that a
    /// burst of large images does not leave hundreds of megabytes retained.
    /// </summary>
    internal static Configuration CreateConfiguration()
    {
        var configuration = new Configuration(
            new JpegConfigurationModule(),
            new PngConfigurationModule(),
            new WebpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 64 }),
        };
        configuration.ImageFormatsManager.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(WebpFormat.Instance, new WebpDecoder { IgnoreMetadata = true });
        return configuration;
    }

    /// <summary>Checks and stamps <paramref name="data"/>; throws <see cref="WatermarkFailedException"/> with the reason.</summary>
    public WatermarkVariant Process(byte[] data, string text, CancellationToken cancellationToken)
    {
        if (data.Length == 0)
        {
            throw new WatermarkFailedException("the file is empty");
        }

        IImageInfo? info;
        IImageFormat? format;
        try
        {
            info = Image.Identify(_configuration, data, out format);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            throw new WatermarkFailedException("the image header is invalid", e);
        }

        if (info is null || format is null)
        {
            throw new WatermarkFailedException("the file is not a JPEG, PNG or WebP image");
        }

        var megapixels = (double)info.Width * info.Height / 1_000_000;
        if (info.Width <= 0 || info.Height <= 0 || megapixels > _options.MaxMegapixels)
        {
            throw new WatermarkFailedException(
                $"the image is {info.Width}x{info.Height} ({megapixels:0.#} MP), over WatermarkOptions.MaxMegapixels ({_options.MaxMegapixels})");
        }

        if (format == JpegFormat.Instance && !ImageContainer.IsCompleteJpeg(data))
        {
            throw new WatermarkFailedException("the JPEG is truncated (no end-of-image marker)");
        }

        if (format == WebpFormat.Instance && ImageContainer.IsAnimatedWebp(data))
        {
            throw new WatermarkFailedException("animated WebP is not supported");
        }

        cancellationToken.ThrowIfCancellationRequested();

        // JPEG has no alpha: three bytes a pixel instead of four, less to decode, stamp and encode.
        return format == JpegFormat.Instance
            ? Render<Rgb24>(data, format, text, cancellationToken)
            : Render<Rgba32>(data, format, text, cancellationToken);
    }

    private WatermarkVariant Render<TPixel>(byte[] data, IImageFormat format, string text, CancellationToken cancellationToken)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        Image<TPixel> image;
        try
        {
            Interlocked.Increment(ref _decodes);
            image = Image.Load<TPixel>(_configuration, data);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or InvalidDataException or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            throw new WatermarkFailedException("the image data is corrupt", e);
        }

        using (image)
        {
            if (image.Frames.Count > 1)
            {
                throw new WatermarkFailedException("multi-frame images are not supported");
            }

            ApplyOrientation(image, data);
            StripMetadata(image);
            cancellationToken.ThrowIfCancellationRequested();

            var lineHeight = WatermarkStamp.LineHeightFor(image.Width, image.Height);
            using var stamp = WatermarkStamp.Create(_renderer, text, lineHeight, _options.Opacity, _overlay);
            stamp.ApplyTo(image);
            cancellationToken.ThrowIfCancellationRequested();

            using var output = new MemoryStream(capacity: Math.Max(4096, data.Length + (data.Length / 4)));
            image.Save(output, CreateEncoder(format, image.Metadata));
            return new WatermarkVariant(output.ToArray(), format.DefaultMimeType);
        }
    }

    /// <summary>
    /// Turns the pixels upright as the EXIF orientation says, using ImageSharp's own mapping. Only the
    /// orientation tag is taken from the raw EXIF block; a malformed block is ignored (no rotation).
    /// </summary>
    private static void ApplyOrientation(Image image, byte[] data)
    {
        var exif = ImageContainer.FindExif(data);
        if (exif is null)
        {
            return;
        }

        ushort orientation;
        try
        {
            orientation = new ExifProfile(exif).GetValue(ExifTag.Orientation)?.Value ?? 1;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException or NotSupportedException)
        {
            return;
        }

        if (orientation is > 1 and <= 8)
        {
            var profile = new ExifProfile();
            profile.SetValue(ExifTag.Orientation, orientation);
            image.Metadata.ExifProfile = profile;
            image.Mutate(x => x.AutoOrient());
        }
    }

    /// <summary>Belt and braces: decoders ran with metadata off, but nothing of the source's metadata may leave.</summary>
    private static void StripMetadata<TPixel>(Image<TPixel> image)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var metadata = image.Metadata;
        metadata.ExifProfile = null;
        metadata.IccProfile = null;
        metadata.IptcProfile = null;
        metadata.XmpProfile = null;
        metadata.GetPngMetadata().TextData.Clear();
        foreach (var frame in image.Frames)
        {
            frame.Metadata.ExifProfile = null;
            frame.Metadata.IccProfile = null;
            frame.Metadata.IptcProfile = null;
            frame.Metadata.XmpProfile = null;
        }
    }

    private IImageEncoder CreateEncoder(IImageFormat format, SixLabors.ImageSharp.Metadata.ImageMetadata metadata)
    {
        if (format == PngFormat.Instance)
        {
            return new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit8 };
        }

        if (format == WebpFormat.Instance)
        {
            return new WebpEncoder
            {
                FileFormat = metadata.GetWebpMetadata().FileFormat,
                Quality = _options.JpegQuality,
            };
        }

        return new JpegEncoder { Quality = _options.JpegQuality };
    }
}
