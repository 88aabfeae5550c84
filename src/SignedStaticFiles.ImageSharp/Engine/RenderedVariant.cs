namespace SignedStaticFiles.ImageSharp.Engine;

/// <summary>An encoded variant, as cached: its bytes, content type and render time (its <c>Last-Modified</c>).</summary>
internal sealed record RenderedVariant(byte[] Content, string ContentType, DateTimeOffset RenderedAt);
