using Amazon.S3;
using Amazon.S3.Model;

namespace KycPortal.Storage;

/// <summary>Files in an S3 bucket: <c>protected/kyc/…</c> and <c>contracts/kyc/…</c> (the folders' key prefixes).</summary>
public sealed class S3KycFileStore(IAmazonS3 client, string bucket) : IKycFileStore
{
    public async Task WriteAsync(KycFolder folder, string relativePath, byte[] content, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content, writable: false);
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = KycStorage.Prefix(folder) + "/" + relativePath,
            InputStream = stream,
        }, cancellationToken);
    }

    public async Task DeleteAsync(KycFolder folder, string relativePath, CancellationToken cancellationToken) =>
        await client.DeleteObjectAsync(bucket, KycStorage.Prefix(folder) + "/" + relativePath, cancellationToken);
}
