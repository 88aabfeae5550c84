namespace SignedStaticFiles.Stores;

/// <summary>
/// What every stream over a store's bytes has in common: read-only, and read asynchronously only — a
/// synchronous read would block a thread on network I/O, and object-store bodies refuse it anyway. Not
/// seekable unless a derived stream says otherwise.
/// </summary>
internal abstract class AsyncReadStream : Stream
{
    public sealed override bool CanRead => true;

    public override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public sealed override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Stores are read asynchronously.");

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
