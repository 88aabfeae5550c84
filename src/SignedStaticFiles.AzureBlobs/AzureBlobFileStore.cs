using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using SignedStaticFiles.Stores;

namespace SignedStaticFiles.AzureBlobs;

/// <summary>
/// A folder's files in an Azure Blob container: a path <c>/kyc/42.jpg</c> is the blob
/// <c>{blobPrefix}kyc/42.jpg</c>. Metadata is a Get Blob Properties; a read is a Get Blob with
/// <c>x-ms-range</c> for exactly the bytes asked and <c>If-Match</c> on the version looked up.
/// </summary>
/// <remarks>
/// The answer's own ETag and Content-Range are checked too, so a server that ignored a condition still
/// never yields bytes of another version or offset. On an account with a hierarchical namespace (Data Lake
/// Storage), a directory is a blob marked <c>hdi_isfolder</c>: it is not a file (404).
/// </remarks>
internal sealed class AzureBlobFileStore : ISignedFileStore
{
    private readonly BlobContainerClient _container;
    private readonly string _prefix;

    public AzureBlobFileStore(BlobContainerClient container, string? blobPrefix)
    {
        _container = container;
        _prefix = ObjectKeys.NormalizePrefix(blobPrefix);
        Scope = "azblob:" + container.AccountName + "/" + container.Name + "/" + _prefix;
    }

    public string Scope { get; }

    public async ValueTask<SignedFileInfo?> GetFileAsync(string path, CancellationToken cancellationToken)
    {
        BlobProperties properties;
        try
        {
            properties = (await _container.GetBlobClient(ObjectKeys.KeyOf(_prefix, path)).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // A missing blob, and a "directory" (a prefix other blobs start with): neither is a file.
            return null;
        }

        if (properties.Metadata.TryGetValue("hdi_isfolder", out var isFolder) && string.Equals(isFolder, "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new SignedFileInfo
        {
            Path = path,
            Length = properties.ContentLength,
            LastModified = properties.LastModified.ToUniversalTime(),
            Version = ObjectReadStream.UnquoteETag(properties.ETag.ToString()),
        };
    }

    public async ValueTask<Stream> OpenReadAsync(SignedFileInfo file, long offset, long? length, CancellationToken cancellationToken)
    {
        var count = ObjectKeys.ReadCount(file, offset, length);
        var blob = _container.GetBlobClient(ObjectKeys.KeyOf(_prefix, file.Path));
        var conditions = new BlobRequestConditions { IfMatch = new ETag("\"" + file.Version + "\"") };

        if (count == 0)
        {
            // Nothing to read, but the caller still relies on the version: confirm it.
            var properties = await Conditional(() => blob.GetPropertiesAsync(conditions, cancellationToken)).ConfigureAwait(false);
            if (ObjectReadStream.UnquoteETag(properties.Value.ETag.ToString()) != file.Version)
            {
                throw ObjectReadStream.Changed(file);
            }

            return new MemoryStream([], writable: false);
        }

        var response = await Conditional(() => blob.DownloadStreamingAsync(
            new BlobDownloadOptions { Range = new HttpRange(offset, count), Conditions = conditions },
            cancellationToken)).ConfigureAwait(false);
        var result = response.Value;
        try
        {
            return ObjectReadStream.ForRangedAnswer(
                result.Content, result, result.Details.ETag.ToString(), result.Details.ContentRange, result.Details.ContentLength, file, offset, count);
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static async Task<T> Conditional<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404 or 416)
        {
            // 412: overwritten; 404: deleted; 416: overwritten with fewer bytes.
            throw new SignedFileChangedException("The blob changed or was deleted after it was looked up.", e);
        }
    }
}
