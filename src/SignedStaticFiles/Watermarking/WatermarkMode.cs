namespace SignedStaticFiles;

/// <summary>When images of the protected folder are served watermarked.</summary>
public enum WatermarkMode
{
    /// <summary>
    /// The default: no watermark pipeline is asked for, and minting a link with
    /// <see cref="SignedUrlOptions.WatermarkText"/> throws. A link minted with text while another mode was
    /// configured is still honoured (fail closed): its image is never served without the stamp.
    /// </summary>
    None = 0,

    /// <summary>
    /// Every image of the folder is only ever served watermarked, whatever the link says: with the link's
    /// text when it carries one, otherwise with <see cref="WatermarkOptions.Text"/>. The safest choice for
    /// identity documents. Decided by content, not by name: JPEG, PNG and WebP images are stamped; only files
    /// positively identified as non-images (plain UTF-8 text without markup, JSON served as JSON) are served
    /// unchanged; every other file (GIF, BMP, TIFF, SVG, HEIC, PDF, unknown binary, …) is refused with 415.
    /// Needs the image engine (<c>AddImageSharp()</c>, package SignedStaticFiles.ImageSharp).
    /// </summary>
    Always,

    /// <summary>
    /// Only links minted with <see cref="SignedUrlOptions.WatermarkText"/> are served watermarked; other
    /// links serve the original file.
    /// </summary>
    OnRequest,
}
