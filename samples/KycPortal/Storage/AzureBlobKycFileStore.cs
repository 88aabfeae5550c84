using Azure.Storage.Blobs;

namespace KycPortal.Storage;

/// <summary>Files in an Azure Blob container: <c>protected/kyc/…</c> and <c>contracts/kyc/…</c> (the folders' blob prefixes).</summary>
public sealed class AzureBlobKycFileStore(BlobContainerClient container) : IKycFileStore
{
    public async Task WriteAsync(KycFolder folder, string relativePath, byte[] content, CancellationToken cancellationToken) =>
        await container.GetBlobClient(KycStorage.Prefix(folder) + "/" + relativePath)
            .UploadAsync(BinaryData.FromBytes(content), overwrite: false, cancellationToken);

    public async Task DeleteAsync(KycFolder folder, string relativePath, CancellationToken cancellationToken) =>
        await container.DeleteBlobIfExistsAsync(KycStorage.Prefix(folder) + "/" + relativePath, cancellationToken: cancellationToken);
}
