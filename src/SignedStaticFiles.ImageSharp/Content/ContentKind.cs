namespace SignedStaticFiles.ImageSharp.Content;

/// <summary>What the first bytes of a file say it is, as far as the engine cares.</summary>
internal enum ContentKind
{
    /// <summary>Not one of the three stampable formats: an allowed non-image, or refused (415).</summary>
    Other,

    /// <summary>JPEG signature: stamped (the decoder decides whether it is whole).</summary>
    Jpeg,

    /// <summary>PNG signature.</summary>
    Png,

    /// <summary>RIFF/WEBP signature.</summary>
    Webp,
}
