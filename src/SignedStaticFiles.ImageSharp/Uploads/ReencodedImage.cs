namespace SignedStaticFiles.ImageSharp;

/// <summary>An upload decoded and encoded again by <see cref="SafeImageReencoder"/>: upright, without any metadata.</summary>
public sealed class ReencodedImage
{
    internal ReencodedImage(byte[] content, string contentType, string extension, int width, int height)
    {
        Content = content;
        ContentType = contentType;
        Extension = extension;
        Width = width;
        Height = height;
    }

    /// <summary>The encoded bytes.</summary>
    public byte[] Content { get; }

    /// <summary>The media type: <c>image/jpeg</c>, <c>image/png</c> or <c>image/webp</c>.</summary>
    public string ContentType { get; }

    /// <summary>The file extension for the format, with its dot: <c>.jpg</c>, <c>.png</c> or <c>.webp</c>.</summary>
    public string Extension { get; }

    /// <summary>Width in pixels, upright (after the EXIF orientation was applied).</summary>
    public int Width { get; }

    /// <summary>Height in pixels, upright.</summary>
    public int Height { get; }
}
