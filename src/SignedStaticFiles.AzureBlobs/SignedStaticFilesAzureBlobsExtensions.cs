using Azure.Storage.Blobs;
using SignedStaticFiles;
using SignedStaticFiles.AzureBlobs;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Serves a folder from an Azure Blob Storage container.</summary>
public static class SignedStaticFilesAzureBlobsExtensions
{
#pragma warning disable RS0026 // Both overloads keep the fixed shape ServeFromAzureBlobs(container, blobPrefix = null); the second resolves the client.
    /// <summary>
    /// Serves the folder's files from <paramref name="container"/>: the file <c>/kyc/42.jpg</c> of the folder is
    /// the blob <c>{blobPrefix}/kyc/42.jpg</c>. Links keep every rule of a local folder (user binding, single use,
    /// revocation, watermarks); the bytes stay in the container and are read with ranged, conditional requests.
    /// The folder's <c>RootPath</c> is ignored.
    /// </summary>
    /// <remarks>
    /// The identity needs read access to the blobs (for example the Storage Blob Data Reader role).
    /// Configure the client's <c>Retry.NetworkTimeout</c> and <c>Retry.MaxRetries</c> to taste; whatever they are,
    /// the package bounds every call (<see cref="SignedFileStoreBuilderExtensions.ConfigureStore"/> and docs/stores.md).
    /// </remarks>
    /// <param name="builder">The folder's builder, returned by <c>AddSignedStaticFiles</c>.</param>
    /// <param name="container">The container client; shared, never disposed by the package.</param>
    /// <param name="blobPrefix">The virtual folder of the container holding the files (<c>"kyc"</c> or <c>"kyc/"</c>); null or empty for the whole container.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="container"/> is null.</exception>
    public static ISignedStaticFilesBuilder ServeFromAzureBlobs(this ISignedStaticFilesBuilder builder, BlobContainerClient container, string? blobPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(container);

        return builder.ServeFromStore(_ => new AzureBlobFileStore(container, blobPrefix));
    }

    /// <summary>
    /// As <see cref="ServeFromAzureBlobs(ISignedStaticFilesBuilder, BlobContainerClient, string?)"/>, with the
    /// container <paramref name="containerName"/> of a <see cref="BlobServiceClient"/> resolved from the
    /// application's services: a keyed one under the folder's name when there is one, else the
    /// <see cref="BlobServiceClient"/> service.
    /// </summary>
    /// <param name="builder">The folder's builder, returned by <c>AddSignedStaticFiles</c>.</param>
    /// <param name="containerName">The container.</param>
    /// <param name="blobPrefix">The virtual folder of the container holding the files; null or empty for the whole container.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="containerName"/> is null, empty or white space.</exception>
    /// <exception cref="InvalidOperationException">At startup, when no <see cref="BlobServiceClient"/> is registered.</exception>
    public static ISignedStaticFilesBuilder ServeFromAzureBlobs(this ISignedStaticFilesBuilder builder, string containerName, string? blobPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(containerName);

        var name = builder.Name;
        return builder.ServeFromStore(services => new AzureBlobFileStore(
            (services.GetKeyedService<BlobServiceClient>(name) ?? services.GetService<BlobServiceClient>()
                ?? throw new InvalidOperationException($"ServeFromAzureBlobs(\"{containerName}\") on {(name.Length == 0 ? "the default folder" : $"the folder '{name}'")} resolves BlobServiceClient from the services, and none is registered. Register one or pass a BlobContainerClient to ServeFromAzureBlobs."))
                .GetBlobContainerClient(containerName),
            blobPrefix));
    }
#pragma warning restore RS0026
}
