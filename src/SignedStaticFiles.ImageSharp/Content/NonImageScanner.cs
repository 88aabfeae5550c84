using System.Text;
using System.Text.Json;
using SignedStaticFiles.Stores;

namespace SignedStaticFiles.ImageSharp.Content;

/// <summary>
/// The allow-list of what may leave a folder that requires a stamp without one: content positively
/// identified as a non-image, by reading all of it. Plain UTF-8 text without <c>&lt;</c> (no markup, so no
/// SVG, HTML or XML that could carry or draw an image, whatever name or content type it is served with),
/// and JSON served as JSON (a document with <c>&lt;</c> inside strings cannot render as markup under its
/// own content type with <c>nosniff</c>). Everything else — BMP, ICO, GIF, TIFF, AVIF/HEIC, JPEG XL,
/// JPEG 2000, PSD, PDF (which can carry images), text-based image formats, unknown binary — is not on the
/// list and is refused (415).
/// </summary>
internal static class NonImageScanner
{
    private const int ChunkLength = 64 * 1024;

    // Text-based formats that are images or documents though they need no '<': XBM, XPM, PostScript, PDF,
    // Netpbm (P1–P7), RTF.
    private static readonly byte[][] TextualImageSignatures =
    [
        "#define"u8.ToArray(), "/* XPM */"u8.ToArray(), "!XPM2"u8.ToArray(), "%!PS"u8.ToArray(), "%PDF"u8.ToArray(), "{\\rtf"u8.ToArray(),
    ];

    /// <summary>Whether <paramref name="file"/> may be served as it is; reads the whole file (once per version: the caller caches).</summary>
    public static async ValueTask<bool> IsAllowedAsync(
        ISignedFileStore store, SignedFileInfo file, string? contentType, long maxJsonBytes, CancellationToken cancellationToken)
    {
        if (file.Length == 0)
        {
            return false; // nothing was identified
        }

        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[ChunkLength];
        var chars = new char[ChunkLength + 4];
        var hasMarkup = false;
        var first = true;
        await using var stream = await store.OpenReadAsync(file, 0, null, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var read = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var chunk = bytes.AsSpan(0, read);
            if (first)
            {
                first = false;
                var body = chunk.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? chunk[3..] : chunk;
                if (IsTextualImage(body))
                {
                    return false;
                }
            }

            foreach (var b in chunk)
            {
                // Text has no control bytes but tab, line feed, form feed and carriage return.
                if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\f' or (byte)'\r') || b == 0x7F)
                {
                    return false;
                }

                hasMarkup |= b == (byte)'<';
            }

            try
            {
                decoder.Convert(chunk, chars, flush: read < bytes.Length, out _, out _, out _);
            }
            catch (DecoderFallbackException)
            {
                return false;
            }

            if (read < bytes.Length)
            {
                break;
            }
        }

        if (!hasMarkup)
        {
            return true;
        }

        return IsJson(contentType) && file.Length <= maxJsonBytes && await IsWellFormedJsonAsync(store, file, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsTextualImage(ReadOnlySpan<byte> head)
    {
        var trimmed = head.TrimStart(" \t\r\n"u8);
        foreach (var signature in TextualImageSignatures)
        {
            if (trimmed.StartsWith(signature))
            {
                return true;
            }
        }

        // Netpbm: 'P', a digit 1–7, white space.
        return trimmed.Length >= 3 && trimmed[0] == 'P' && trimmed[1] is >= (byte)'1' and <= (byte)'7' && trimmed[2] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
    }

    private static bool IsJson(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        mediaType = (semicolon >= 0 ? mediaType[..semicolon] : mediaType).Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static async ValueTask<bool> IsWellFormedJsonAsync(ISignedFileStore store, SignedFileInfo file, CancellationToken cancellationToken)
    {
        var content = new byte[file.Length];
        await using (var stream = await store.OpenReadAsync(file, 0, null, cancellationToken).ConfigureAwait(false))
        {
            if (await stream.ReadAtLeastAsync(content, content.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) != content.Length)
            {
                return false;
            }
        }

        var json = content.AsSpan();
        if (json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            json = json[3..];
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
            while (reader.Read())
            {
            }

            return reader.BytesConsumed == json.Length || json[(int)reader.BytesConsumed..].Trim(" \t\r\n"u8).IsEmpty;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
