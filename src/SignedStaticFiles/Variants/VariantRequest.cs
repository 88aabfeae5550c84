using SignedStaticFiles.Stores;

namespace SignedStaticFiles.Variants;

/// <summary>What the middleware asks of the image engine for one request; built in one place, from the request context.</summary>
internal sealed class VariantRequest
{
    /// <summary>The folder's name.</summary>
    public required string FolderName { get; init; }

    /// <summary>The app-relative path of the file (the link's sealed path).</summary>
    public required string Path { get; init; }

    /// <summary>The store to read the file from.</summary>
    public required ISignedFileStore Store { get; init; }

    /// <summary>The file, as the store described it.</summary>
    public required SignedFileInfo File { get; init; }

    /// <summary>
    /// The folder is <see cref="WatermarkMode.Always"/>: the original never leaves unless the engine
    /// positively identifies it as a non-image on its allow-list (plain text, JSON); everything else is
    /// stamped or refused. (The ImageSharp engine applies the same rule to a link that asks for a stamp or a
    /// redaction in any mode: the link promised one.)
    /// </summary>
    public required bool Required { get; init; }

    /// <summary>The expanded stamp text, or <see langword="null"/> for no stamp.</summary>
    public string? Text { get; init; }

    /// <summary>The ASCII text to stamp instead when a character of <see cref="Text"/> cannot be drawn (user id, time, link id).</summary>
    public string? FallbackText { get; init; }

    /// <summary>Regions to mask, in the order given (a profile's, then the link's own), or <see langword="null"/>.</summary>
    public IReadOnlyList<RedactionRegion>? Redactions { get; init; }

    /// <summary>
    /// The content type the original would be served with (the folder's content type provider, by the
    /// file's name), or <see langword="null"/> when the folder would not serve the name. The engine lets a
    /// JSON document that contains <c>&lt;</c> leave unstamped only when it is served as JSON.
    /// </summary>
    public string? ContentType { get; init; }

    /// <summary>The folder's watermark options (caps, queue, quality).</summary>
    public required WatermarkOptions Options { get; init; }
}
