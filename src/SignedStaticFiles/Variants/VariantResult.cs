namespace SignedStaticFiles.Variants;

/// <summary>What the image engine answers: the original may be served, a rendered variant, or a refusal.</summary>
internal sealed class VariantResult
{
    private VariantResult(VariantResultKind kind)
    {
        Kind = kind;
    }

    /// <summary>Which of the three answers this is.</summary>
    public VariantResultKind Kind { get; private init; }

    /// <summary>The encoded variant (<see cref="VariantResultKind.Rendered"/>).</summary>
    public ReadOnlyMemory<byte> Content { get; private init; }

    /// <summary>The variant's content type (<see cref="VariantResultKind.Rendered"/>).</summary>
    public string? ContentType { get; private init; }

    /// <summary>The variant's strong entity tag, quoted (<see cref="VariantResultKind.Rendered"/>): derived from the variant's description.</summary>
    public string? ETag { get; private init; }

    /// <summary>The variant's <c>Last-Modified</c> (<see cref="VariantResultKind.Rendered"/>): when this variant was rendered.</summary>
    public DateTimeOffset LastModified { get; private init; }

    /// <summary>Why not (<see cref="VariantResultKind.Refused"/>).</summary>
    public SignedFileOutcome Outcome { get; private init; }

    /// <summary>When to try again, for a busy refusal (503).</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>The file is not an image and may leave unchanged (never answered for an image under <see cref="VariantRequest.Required"/>).</summary>
    public static VariantResult Original { get; } = new(VariantResultKind.Original);

    /// <summary>A rendered variant.</summary>
    public static VariantResult Rendered(ReadOnlyMemory<byte> content, string contentType, string etag, DateTimeOffset lastModified) =>
        new(VariantResultKind.Rendered) { Content = content, ContentType = contentType, ETag = etag, LastModified = lastModified };

    /// <summary>A refusal: <see cref="SignedFileOutcome.UnsupportedMediaType"/> (415), <see cref="SignedFileOutcome.WatermarkFailed"/> (422), <see cref="SignedFileOutcome.WatermarkBusy"/> (503), <see cref="SignedFileOutcome.NotFound"/>, <see cref="SignedFileOutcome.StoreUnavailable"/>.</summary>
    public static VariantResult Refused(SignedFileOutcome outcome, TimeSpan? retryAfter = null) =>
        new(VariantResultKind.Refused) { Outcome = outcome, RetryAfter = retryAfter };
}

/// <summary>The kinds of <see cref="VariantResult"/>.</summary>
internal enum VariantResultKind
{
    /// <summary>Serve the stored file as it is.</summary>
    Original,

    /// <summary>Serve the rendered bytes.</summary>
    Rendered,

    /// <summary>Answer an error.</summary>
    Refused,
}
