namespace SignedStaticFiles.Stores;

/// <summary>
/// A seekable, read-only stream over one file of a store that fetches lazily from the position it is read
/// at: the framework's file result seeks to a range's start and reads its length, so only the bytes from
/// there on are asked of the store.
/// </summary>
internal sealed class StoreReadStream(ISignedFileStore store, SignedFileInfo file, CancellationToken requestAborted) : Stream
{
    private Stream? _inner;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

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
            _inner?.Dispose();
            _inner = null;
            _position = target;
        }

        return _position;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Stores are read asynchronously.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= file.Length || buffer.IsEmpty)
        {
            return 0;
        }

        _inner ??= await store.OpenReadAsync(file, _position, null, cancellationToken.CanBeCanceled ? cancellationToken : requestAborted).ConfigureAwait(false);
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_inner is not null)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
