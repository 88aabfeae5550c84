namespace SignedStaticFiles.Stores;

/// <summary>
/// The body of one ranged read, for every store (the local folder and the object-store packages): exactly
/// <c>length</c> bytes of <c>body</c> (after skipping <c>skip</c> bytes when a server ignored the range and sent
/// the whole object), disposing <c>owner</c> (the store's answer) or else <c>body</c> with it. Read asynchronously
/// only: a synchronous read would block a thread on network I/O.
/// </summary>
internal sealed class ObjectReadStream(Stream body, IDisposable? owner, long skip, long length) : AsyncReadStream
{
    /// <summary>
    /// The body of an object store's answer to a ranged, conditional read, checked against what was asked: the
    /// object's version (<paramref name="answerETag"/>) and the range (<paramref name="contentRange"/>, or the whole
    /// object of the same version from a server that ignored the range). Anything else is not this file.
    /// </summary>
    /// <exception cref="SignedFileChangedException">The answer is another version, or another range.</exception>
    internal static ObjectReadStream ForRangedAnswer(
        Stream body, IDisposable owner, string? answerETag, string? contentRange, long contentLength, SignedFileInfo file, long offset, long count)
    {
        if (UnquoteETag(answerETag) != file.Version)
        {
            throw Changed(file);
        }

        var expected = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"bytes {offset}-{offset + count - 1}/{file.Length}");
        long skip;
        if (string.Equals(contentRange, expected, StringComparison.OrdinalIgnoreCase))
        {
            skip = 0;
        }
        else if (string.IsNullOrEmpty(contentRange) && contentLength == file.Length)
        {
            skip = offset; // the same version, so the same bytes
        }
        else
        {
            throw Changed(file);
        }

        return new ObjectReadStream(body, owner, skip, count);
    }

    /// <summary>An entity tag as a store's version: without <c>W/</c> and quotes; null when there is none.</summary>
    internal static string? UnquoteETag(string? etag)
    {
        if (string.IsNullOrEmpty(etag))
        {
            return null;
        }

        var value = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        return value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
    }

    /// <summary>The stored object is no longer the version <paramref name="file"/> describes.</summary>
    internal static SignedFileChangedException Changed(SignedFileInfo file) =>
        new($"The stored object of '{file.Path}' is no longer the version that was looked up.");

    private long _skip = skip;
    private long _remaining = length;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_skip > 0)
        {
            var skipped = await body.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _skip)], cancellationToken).ConfigureAwait(false);
            if (skipped == 0)
            {
                return 0;
            }

            _skip -= skipped;
        }

        if (_remaining <= 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var read = await body.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        _remaining -= read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            (owner ?? body).Dispose();
        }

        base.Dispose(disposing);
    }
}
