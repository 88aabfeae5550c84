using Amazon.S3;
using SignedStaticFiles;
using SignedStaticFiles.S3;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Serves a folder from an S3-compatible bucket (AWS S3, Google Cloud Storage's XML API, MinIO, Ceph, R2, …).</summary>
public static class SignedStaticFilesS3Extensions
{
#pragma warning disable RS0026 // Both overloads keep the fixed shape ServeFromS3(client, bucketName, keyPrefix = null); the second resolves the client.
    /// <summary>
    /// Serves the folder's files from the bucket <paramref name="bucketName"/>: the file <c>/kyc/42.jpg</c> of the
    /// folder is the object <c>{keyPrefix}/kyc/42.jpg</c>. Links keep every rule of a local folder (user binding,
    /// single use, revocation, watermarks); the bytes stay in the bucket and are read with ranged, conditional
    /// GETs. The folder's <c>RootPath</c> is ignored.
    /// </summary>
    /// <remarks>
    /// For an S3-compatible service other than AWS, configure the client with its endpoint (<c>ServiceURL</c>),
    /// <c>ForcePathStyle = true</c>, and checksums only when required (<c>RequestChecksumCalculation</c> and
    /// <c>ResponseChecksumValidation</c> = <c>WHEN_REQUIRED</c>). The identity needs <c>s3:GetObject</c> and
    /// <c>s3:ListBucket</c> (without the latter, S3 answers a missing key with 403, which is served as 503, not 404).
    /// Caching, deadlines and outage behaviour: <see cref="SignedFileStoreBuilderExtensions.ConfigureStore"/> and docs/stores.md.
    /// </remarks>
    /// <param name="builder">The folder's builder, returned by <c>AddSignedStaticFiles</c>.</param>
    /// <param name="client">The S3 client; shared, never disposed by the package.</param>
    /// <param name="bucketName">The bucket.</param>
    /// <param name="keyPrefix">The folder of the bucket holding the files (<c>"kyc"</c> or <c>"kyc/"</c>); null or empty for the whole bucket.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="client"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="bucketName"/> is null, empty or white space.</exception>
    public static ISignedStaticFilesBuilder ServeFromS3(this ISignedStaticFilesBuilder builder, IAmazonS3 client, string bucketName, string? keyPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucketName);

        return builder.ServeFromStore(_ => new S3FileStore(client, bucketName, keyPrefix));
    }

    /// <summary>
    /// As <see cref="ServeFromS3(ISignedStaticFilesBuilder, IAmazonS3, string, string?)"/>, with the client resolved
    /// from the application's services: a keyed <see cref="IAmazonS3"/> under the folder's name when there is one
    /// (two folders on two accounts), else the <see cref="IAmazonS3"/> service.
    /// </summary>
    /// <param name="builder">The folder's builder, returned by <c>AddSignedStaticFiles</c>.</param>
    /// <param name="bucketName">The bucket.</param>
    /// <param name="keyPrefix">The folder of the bucket holding the files; null or empty for the whole bucket.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="bucketName"/> is null, empty or white space.</exception>
    /// <exception cref="InvalidOperationException">At startup, when no <see cref="IAmazonS3"/> is registered.</exception>
    public static ISignedStaticFilesBuilder ServeFromS3(this ISignedStaticFilesBuilder builder, string bucketName, string? keyPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucketName);

        var name = builder.Name;
        return builder.ServeFromStore(services => new S3FileStore(
            services.GetKeyedService<IAmazonS3>(name) ?? services.GetService<IAmazonS3>()
                ?? throw new InvalidOperationException($"ServeFromS3(\"{bucketName}\") on {(name.Length == 0 ? "the default folder" : $"the folder '{name}'")} resolves IAmazonS3 from the services, and none is registered. Register one (services.AddSingleton<IAmazonS3>(…)) or pass the client to ServeFromS3."),
            bucketName,
            keyPrefix));
    }
#pragma warning restore RS0026
}
