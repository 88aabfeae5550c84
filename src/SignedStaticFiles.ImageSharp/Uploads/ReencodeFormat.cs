namespace SignedStaticFiles.ImageSharp;

/// <summary>The format <see cref="SafeImageReencoder"/> writes.</summary>
public enum ReencodeFormat
{
    /// <summary>The upload's own format (JPEG stays JPEG, PNG stays PNG, WebP stays WebP). The default.</summary>
    Same = 0,

    /// <summary>JPEG (transparency is flattened onto white).</summary>
    Jpeg,

    /// <summary>PNG, 8-bit RGBA.</summary>
    Png,

    /// <summary>WebP, lossy at <see cref="SafeReencodeOptions.Quality"/>.</summary>
    Webp,
}
