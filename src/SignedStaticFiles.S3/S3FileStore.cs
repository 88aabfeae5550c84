using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using SignedStaticFiles.Stores;

namespace SignedStaticFiles.S3;

/// <summary>
/// A folder's files in an S3-compatible bucket: a path <c>/kyc/42.jpg</c> is the key
/// <c>{keyPrefix}kyc/42.jpg</c>. Metadata is a <c>HEAD</c>; a read is a <c>GET</c> with <c>Range</c> for exactly
/// the bytes asked and <c>If-Match</c> on the version looked up.
/// </summary>
/// <remarks>
/// Some S3-compatible servers ignore <c>If-Match</c> on GET, or even <c>Range</c>: the answer's own ETag and
/// Content-Range are checked too, so such a server still never yields bytes of another version or another
/// offset (a changed version throws <see cref="SignedFileChangedException"/>; a whole object sent for a range is
/// skipped and cut to the range).
/// </remarks>
internal sealed class S3FileStore : ISignedFileStore
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3FileStore(IAmazonS3 client, string bucketName, string? keyPrefix)
    {
        _client = client;
        _bucket = bucketName;
        _prefix = ObjectKeys.NormalizePrefix(keyPrefix);
        Scope = "s3:" + bucketName + "/" + _prefix;
    }

    public string Scope { get; }

    public async ValueTask<SignedFileInfo?> GetFileAsync(string path, CancellationToken cancellationToken)
    {
        GetObjectMetadataResponse metadata;
        try
        {
            metadata = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = ObjectKeys.KeyOf(_prefix, path) }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // A missing key, and a "directory" (a prefix other keys start with): neither is a file.
            return null;
        }

        return new SignedFileInfo
        {
            Path = path,
            Length = metadata.ContentLength,
            LastModified = metadata.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : DateTimeOffset.UnixEpoch,
            Version = ObjectReadStream.UnquoteETag(metadata.ETag),
        };
    }

    public async ValueTask<Stream> OpenReadAsync(SignedFileInfo file, long offset, long? length, CancellationToken cancellationToken)
    {
        var count = ObjectKeys.ReadCount(file, offset, length);
        var key = ObjectKeys.KeyOf(_prefix, file.Path);

        if (count == 0)
        {
            // Nothing to read, but the caller still relies on the version: confirm it.
            var metadata = await Conditional(
                () => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key, EtagToMatch = Quote(file.Version) }, cancellationToken)).ConfigureAwait(false);
            if (ObjectReadStream.UnquoteETag(metadata.ETag) != file.Version)
            {
                throw ObjectReadStream.Changed(file);
            }

            return new MemoryStream([], writable: false);
        }

        var response = await Conditional(() => _client.GetObjectAsync(
            new GetObjectRequest
            {
                BucketName = _bucket,
                Key = key,
                EtagToMatch = Quote(file.Version),
                ByteRange = new ByteRange(offset, offset + count - 1),
            },
            cancellationToken)).ConfigureAwait(false);
        try
        {
            return ObjectReadStream.ForRangedAnswer(
                response.ResponseStream, response, response.ETag, response.ContentRange, response.ContentLength, file, offset, count);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task<T> Conditional<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // 412: overwritten; 404: deleted; 416: overwritten with fewer bytes.
            throw new SignedFileChangedException("The object changed or was deleted after it was looked up.", e);
        }
    }

    private static string? Quote(string? version) => version is null ? null : "\"" + version + "\"";
}
