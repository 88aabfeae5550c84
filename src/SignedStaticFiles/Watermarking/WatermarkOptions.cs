namespace SignedStaticFiles;

/// <summary>
/// Watermarking of images served from the protected folder (<see cref="SignedStaticFilesOptions.Watermark"/>).
/// The text is tiled diagonally over the whole image, light with a dark halo so that it reads on light and
/// dark regions alike; the image is re-encoded in its own format without EXIF, XMP, IPTC or ICC metadata.
/// When a watermark is required and cannot be produced the answer is an error, never the original bytes.
/// </summary>
public sealed class WatermarkOptions
{
    /// <summary>When images are watermarked. Default <see cref="WatermarkMode.None"/>.</summary>
    public WatermarkMode Mode { get; set; } = WatermarkMode.None;

    /// <summary>
    /// The stamp used when a link carries no text of its own (<see cref="WatermarkMode.Always"/>). A
    /// template: <c>{user}</c> is the viewer's display name (<see cref="DisplayNameClaimType"/>), else the
    /// user id the link is bound to or the viewer's (<see cref="SignedStaticFilesOptions.UserIdClaimType"/>),
    /// else <c>anonymous</c>; a value too long for the stamp is shortened, never the time or the link id; <c>{utc}</c> or <c>{utc:format}</c> the current UTC
    /// time (.NET date format, invariant culture), <c>{link}</c> the link's audit id. A link's own text is
    /// expanded the same way. Default <c>CONFIDENTIAL · {user} · {utc:yyyy-MM-dd HH:mm} UTC · {link}</c>.
    /// </summary>
    public string Text { get; set; } = "CONFIDENTIAL \u00b7 {user} \u00b7 {utc:yyyy-MM-dd HH:mm} UTC \u00b7 {link}";

    /// <summary>Opacity of the stamp, greater than 0 and at most 1. Default 0.3.</summary>
    public float Opacity { get; set; } = 0.3f;

    /// <summary>Quality of re-encoded JPEG (and lossy WebP) images, 1 to 100. Default 85.</summary>
    public int JpegQuality { get; set; } = 85;

    /// <summary>
    /// The largest image file that is watermarked, in bytes; a larger one is refused (422) without being
    /// read. Default 25 MiB.
    /// </summary>
    public long MaxInputBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>
    /// The largest image that is decoded, in megapixels (width × height / 1,000,000), checked from the
    /// header before any pixel is decoded; a larger one is refused (422). Bounds memory against
    /// decompression bombs, with <see cref="MaxDecodedBytes"/>. Default 40.
    /// </summary>
    public double MaxMegapixels { get; set; } = 40;

    /// <summary>
    /// The most memory one decoded image may take, in bytes: width × height × the bytes a pixel takes in
    /// the source (a 16-bit RGBA PNG takes 8, an 8-bit one 4, a JPEG 3) or in the working copy, whichever
    /// is more. Checked from the header before any pixel is decoded, beside <see cref="MaxMegapixels"/>; a
    /// larger image is refused (422). Default 160 MiB (40 megapixels at 4 bytes).
    /// </summary>
    public long MaxDecodedBytes { get; set; } = 160L * 1024 * 1024;

    /// <summary>How many images are decoded and stamped at the same time. Default <see cref="Environment.ProcessorCount"/>.</summary>
    public int MaxConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// How many renders may wait for a free slot beyond <see cref="MaxConcurrency"/>; past it requests are
    /// answered 503 with <c>Retry-After</c>. Identical concurrent requests share one render and count once.
    /// Default 64.
    /// </summary>
    public int QueueLength { get; set; } = 64;

    /// <summary>
    /// The <c>Retry-After</c> of a 503 answered when the queue is full. Default 2 seconds.
    /// </summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Size of the in-memory cache of rendered variants, in bytes (the sum of the encoded images); the
    /// least recently used are dropped first. 0 disables the cache. Default 64 MiB.
    /// </summary>
    public long CacheSizeBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// An optional PNG (a logo, say) tiled between the text lines with the same opacity: absolute, or
    /// relative to the content root. Default <see langword="null"/>: text only.
    /// </summary>
    public string? OverlayPath { get; set; }

    /// <summary>
    /// The claim whose value <c>{user}</c> prints: a display name, not an opaque id. Default
    /// <see cref="System.Security.Claims.ClaimTypes.Name"/>; when the viewer has no such claim, <c>{user}</c>
    /// prints the user id (<see cref="SignedStaticFilesOptions.UserIdClaimType"/>), else <c>anonymous</c>.
    /// </summary>
    public string DisplayNameClaimType { get; set; } = System.Security.Claims.ClaimTypes.Name;

    /// <summary>
    /// When <see langword="true"/>, a link's own text (<see cref="SignedUrlOptions.WatermarkText"/>) must contain
    /// <c>{user}</c> and <c>{link}</c>, so that every stamp names the viewer and the link; a text without them
    /// fails at mint. Default <see langword="false"/>.
    /// </summary>
    public bool RequireForensicFields { get; set; }
}
