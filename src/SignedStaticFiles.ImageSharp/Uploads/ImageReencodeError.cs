namespace SignedStaticFiles.ImageSharp;

/// <summary>Why <see cref="SafeImageReencoder"/> refused an upload (<see cref="ImageReencodeException.Error"/>).</summary>
public enum ImageReencodeError
{
    /// <summary>The upload is empty.</summary>
    Empty,

    /// <summary>The upload is larger than <see cref="SafeReencodeOptions.MaxInputBytes"/>; it was not read further.</summary>
    TooManyBytes,

    /// <summary>Not a JPEG, PNG or WebP image (by its bytes, whatever its name or declared type).</summary>
    UnsupportedFormat,

    /// <summary>An animated image (only still images are accepted: one frame would silently be dropped).</summary>
    Animated,

    /// <summary>The header declares more than <see cref="SafeReencodeOptions.MaxMegapixels"/>; no pixel was decoded.</summary>
    TooManyPixels,

    /// <summary>The decoded image would take more than <see cref="SafeReencodeOptions.MaxDecodedBytes"/>; no pixel was decoded.</summary>
    TooManyDecodedBytes,

    /// <summary>The JPEG stops before its end-of-image marker.</summary>
    Truncated,

    /// <summary>The image is damaged: its header or its data cannot be decoded.</summary>
    Corrupt,
}
