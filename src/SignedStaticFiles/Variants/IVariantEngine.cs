namespace SignedStaticFiles.Variants;

/// <summary>
/// The image engine of a folder (<c>AddImageSharp()</c> registers one as a keyed service under the folder's
/// name). It turns a file into the variant a link asks for — stamped, redacted, metadata stripped — and
/// returns the result; it never writes the response (the middleware is the only writer).
/// </summary>
internal interface IVariantEngine
{
    /// <summary>Produces the variant, or says why not. Never throws for a bad image: it returns a refusal.</summary>
    ValueTask<VariantResult> RenderAsync(VariantRequest request, CancellationToken cancellationToken);
}
