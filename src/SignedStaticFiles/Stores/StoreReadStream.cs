namespace SignedStaticFiles.Stores;

/// <summary>
/// A seekable, read-only stream over one file of a store, for the framework's file result: it seeks to where
/// the answer starts and reads as much as it sends. Bytes are fetched lazily from the position read at, and
/// only a window of them: the <paramref name="planned"/> range when the request asked for one (worked out by
/// the caller from the <c>Range</c> header and the file's length, suffix ranges included), so a 1 KB range
/// costs a 1 KB ranged read of the store, not a stream of the rest of the object.
/// </summary>
/// <remarks>
/// The plan is a hint, never a limit: if the framework reads outside it (a precondition made it answer the
/// whole file), the stream opens another conditional read from where it is to the end. Every read is
/// conditional on the file's version, so two windows can never come from two versions.
/// </remarks>
internal sealed class StoreReadStream(ISignedFileStore store, SignedFileInfo file, (long Offset, long Length)? planned, CancellationToken requestAborted) : AsyncReadStream
{
    private Stream? _inner;
    private long _innerEnd;
    private long _position;

    /// <summary>How many reads were opened on the store (tests check that a range costs one).</summary>
    public int Opens { get; private set; }

    public override bool CanSeek => true;

    public override long Length => file.Length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => file.Length + offset,
        };
        if (target < 0)
        {
            throw new IOException("Cannot seek before the start of the file.");
        }

        if (target != _position)
        {
            CloseInner();
            _position = target;
        }

        return _position;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= file.Length || buffer.IsEmpty)
        {
            return 0;
        }

        var token = cancellationToken.CanBeCanceled ? cancellationToken : requestAborted;
        if (_inner is not null && _position >= _innerEnd)
        {
            CloseInner(); // the planned window is used up and the framework reads on: open the rest
        }

        if (_inner is null)
        {
            var (offset, length) = planned is { } window && _position >= window.Offset && _position < window.Offset + window.Length
                ? (_position, window.Offset + window.Length - _position)
                : (_position, file.Length - _position);
            _inner = await store.OpenReadAsync(file, offset, length, token).ConfigureAwait(false);
            _innerEnd = offset + length;
            Opens++;
        }

        // Filled, not just read: a store's body arrives in socket-sized pieces, and each piece handed on is one
        // write and one send to the client; whole buffers (the framework copies in 64 KiB) mean fewer of both.
        var wanted = (int)Math.Min(buffer.Length, _innerEnd - _position);
        var read = await _inner.ReadAtLeastAsync(buffer[..wanted], wanted, throwOnEndOfStream: false, token).ConfigureAwait(false);
        if (read == 0)
        {
            // The store promised these bytes (its object has this length and version): a short read is a
            // broken answer, never the end of the file.
            throw new IOException($"The store ended the read of '{file.Path}' at byte {_position} of {file.Length}.");
        }

        _position += read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseInner();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_inner is not null)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
            _inner = null;
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void CloseInner()
    {
        _inner?.Dispose();
        _inner = null;
    }
}
