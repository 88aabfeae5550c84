using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Imaging;

/// <summary>
/// The only way untrusted bytes are decoded: JPEG, PNG and WebP decoders only (no TIFF, BMP, GIF, TGA, PBM
/// decoder is even registered: the known ImageSharp 2.1.x advisories in TIFF, BigTIFF and ICC code are
/// unreachable), metadata ignored by every decoder (ICC, EXIF, XMP, IPTC are never parsed), and the byte,
/// megapixel and decoded-byte caps checked from the header before any pixel is decoded.
/// </summary>
internal static class ImageDecoding
{
    /// <summary>A configuration with the three decoders, metadata off, and a small memory pool (a burst of large images does not leave hundreds of megabytes retained).</summary>
    public static Configuration Configuration { get; } = CreateConfiguration();

    /// <summary>Which exceptions of the decoders mean "this file is not a good image" (anything else is a bug).</summary>
    public static bool IsDecodeFailure(Exception e) =>
        e is ImageFormatException or NotSupportedException or InvalidDataException or ArgumentException
            or IndexOutOfRangeException or InvalidOperationException or OverflowException or EndOfStreamException;

    /// <summary>Reads the header and checks every cap; throws <see cref="ImageRefusedException"/> with the reason.</summary>
    public static DecodePlan Plan(ArraySegment<byte> data, ImageLimits limits)
    {
        if (data.Count > limits.MaxInputBytes)
        {
            throw new ImageRefusedException(SignedFileOutcome.WatermarkFailed, "too_large",
                $"the file is {data.Count} bytes, over the limit ({limits.MaxInputBytes})");
        }

        // An animation is a format the engine does not serve, whatever the frames hold: decided from the container.
        if (ImageContainer.IsAnimatedWebp(data))
        {
            throw new ImageRefusedException(SignedFileOutcome.UnsupportedMediaType, "unsupported_media_type", "animated WebP is not served (only one frame could be stamped)");
        }

        IImageInfo? info;
        IImageFormat? format;
        try
        {
            using var header = new MemoryStream(data.Array!, data.Offset, data.Count, writable: false);
            info = Image.Identify(Configuration, header, out format);
        }
        catch (Exception e) when (IsDecodeFailure(e))
        {
            throw new ImageRefusedException(SignedFileOutcome.WatermarkFailed, "corrupt", "the image header is invalid", e);
        }

        if (info is null || format is null)
        {
            throw new ImageRefusedException(SignedFileOutcome.WatermarkFailed, "corrupt", "the image header cannot be read as JPEG, PNG or WebP");
        }

        var megapixels = (double)info.Width * info.Height / 1_000_000;
        if (info.Width <= 0 || info.Height <= 0 || megapixels > limits.MaxMegapixels)
        {
            throw new ImageRefusedException(SignedFileOutcome.WatermarkFailed, "too_many_pixels",
                $"the image is {info.Width}x{info.Height} ({megapixels:0.#} MP), over the limit ({limits.MaxMegapixels} MP)");
        }

        var sourceBits = Math.Max(8, info.PixelType?.BitsPerPixel ?? 32);
        var plan = new DecodePlan(format, info.Width, info.Height, sourceBits);
        var bytesPerPixel = Math.Max(plan.HasAlpha ? 4 : 3, (sourceBits + 7) / 8);
        var decoded = (long)info.Width * info.Height * bytesPerPixel;
        if (decoded > limits.MaxDecodedBytes)
        {
            throw new ImageRefusedException(SignedFileOutcome.WatermarkFailed, "too_many_decoded_bytes",
                $"the image would take {decoded} bytes decoded ({info.Width}x{info.Height} at {bytesPerPixel} bytes a pixel), over the limit ({limits.MaxDecodedBytes})");
        }

        if (format == JpegFormat.Instance && !ImageContainer.IsCompleteJpeg(data))
        {
            throw new ImageRefusedException(SignedFileOutcome.WatermarkFailed, "truncated", "the JPEG is truncated (no end-of-image marker after its scan)");
        }

        return plan;
    }

    /// <summary>Decodes pixels; call only after <see cref="Plan"/>.</summary>
    public static Image<TPixel> Decode<TPixel>(ReadOnlySpan<byte> data)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        try
        {
            return Image.Load<TPixel>(Configuration, data);
        }
        catch (Exception e) when (IsDecodeFailure(e))
        {
            throw new ImageRefusedException(SignedFileOutcome.WatermarkFailed, "corrupt", "the image data is corrupt", e);
        }
    }

    private static Configuration CreateConfiguration()
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
}
