namespace SignedStaticFiles.Watermarking;

/// <summary>Startup checks of <see cref="WatermarkOptions"/>, called by <c>SignedStaticFilesOptionsValidator</c>.</summary>
internal static class WatermarkOptionsValidator
{
    private const string Prefix = "SignedStaticFilesOptions.Watermark.";

    public static void Validate(WatermarkOptions? options, string contentRoot, List<string> failures)
    {
        if (options is null)
        {
            failures.Add("SignedStaticFilesOptions.Watermark must not be null.");
            return;
        }

        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"{Prefix}Mode ({options.Mode}) must be None, Always or OnRequest.");
        }

        if (options.Text is null)
        {
            failures.Add($"{Prefix}Text must not be null.");
        }
        else if (WatermarkTemplate.Validate(options.Text) is { } problem)
        {
            failures.Add($"{Prefix}Text {problem}.");
        }

        if (!(options.Opacity > 0 && options.Opacity <= 1))
        {
            failures.Add($"{Prefix}Opacity ({options.Opacity}) must be greater than 0 and at most 1.");
        }

        if (options.JpegQuality is < 1 or > 100)
        {
            failures.Add($"{Prefix}JpegQuality ({options.JpegQuality}) must be between 1 and 100.");
        }

        if (options.MaxInputBytes <= 0)
        {
            failures.Add($"{Prefix}MaxInputBytes ({options.MaxInputBytes}) must be positive.");
        }

        if (!(options.MaxMegapixels > 0) || double.IsInfinity(options.MaxMegapixels))
        {
            failures.Add($"{Prefix}MaxMegapixels ({options.MaxMegapixels}) must be a positive number.");
        }

        if (options.MaxDecodedBytes <= 0)
        {
            failures.Add($"{Prefix}MaxDecodedBytes ({options.MaxDecodedBytes}) must be positive.");
        }

        if (options.MaxConcurrency < 1)
        {
            failures.Add($"{Prefix}MaxConcurrency ({options.MaxConcurrency}) must be at least 1.");
        }

        if (options.QueueLength < 0)
        {
            failures.Add($"{Prefix}QueueLength ({options.QueueLength}) must not be negative.");
        }

        if (options.RetryAfter <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}RetryAfter ({options.RetryAfter}) must be positive.");
        }

        if (options.CacheSizeBytes < 0)
        {
            failures.Add($"{Prefix}CacheSizeBytes ({options.CacheSizeBytes}) must not be negative.");
        }

        if (options.OverlayPath is { } overlay)
        {
            var full = Path.GetFullPath(overlay, contentRoot);
            if (!File.Exists(full))
            {
                failures.Add($"{Prefix}OverlayPath '{overlay}' resolves to '{full}', which does not exist.");
            }
            else if (!IsPng(full))
            {
                failures.Add($"{Prefix}OverlayPath '{overlay}' is not a PNG image.");
            }
        }
    }

    private static bool IsPng(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == 8
            && head.SequenceEqual((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
    }
}
