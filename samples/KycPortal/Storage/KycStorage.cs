using Amazon.Runtime;
using Amazon.S3;
using Azure.Storage.Blobs;
using KycPortal.Infrastructure;
using SignedStaticFiles;

namespace KycPortal.Storage;

/// <summary>
/// Where the files live, from configuration: <c>KycPortal:Store</c> = <c>Local</c> (the default, the data
/// folder), <c>S3</c> (<c>KycPortal:S3:Bucket</c>, optional <c>ServiceUrl</c> for an S3-compatible server,
/// <c>Region</c>, <c>AccessKey</c>/<c>SecretKey</c>, otherwise the SDK's credential chain) or <c>AzureBlobs</c>
/// (<c>KycPortal:AzureBlobs:ConnectionString</c> and <c>Container</c>). Both folders then read from the same
/// bucket or container, under the prefixes <c>protected/</c> and <c>contracts/</c>; the app writes there too.
/// docs/sample.md lists the settings.
/// </summary>
public sealed class KycStorage
{
    private readonly IAmazonS3? _s3;
    private readonly string? _bucket;
    private readonly BlobContainerClient? _container;

    private KycStorage(string kind, IAmazonS3? s3 = null, string? bucket = null, BlobContainerClient? container = null)
    {
        Kind = kind;
        _s3 = s3;
        _bucket = bucket;
        _container = container;
    }

    /// <summary><c>Local</c>, <c>S3</c> or <c>AzureBlobs</c>.</summary>
    public string Kind { get; }

    /// <summary>The key or blob prefix of a folder in a bucket or container.</summary>
    public static string Prefix(KycFolder folder) => folder == KycFolder.Contracts ? "contracts" : "protected";

    /// <summary>Reads <c>KycPortal:Store</c> and its settings; a missing or unknown setting stops the app with its name.</summary>
    public static KycStorage From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var kind = configuration["KycPortal:Store"];
        if (string.IsNullOrWhiteSpace(kind) || kind.Equals("Local", StringComparison.OrdinalIgnoreCase))
        {
            return new KycStorage("Local");
        }

        if (kind.Equals("S3", StringComparison.OrdinalIgnoreCase))
        {
            var s3 = configuration.GetSection("KycPortal:S3");
            var config = new AmazonS3Config
            {
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            };
            if (s3["ServiceUrl"] is { Length: > 0 } serviceUrl)
            {
                // An S3-compatible server (MinIO, Ceph, R2, …): its endpoint, path-style addressing.
                config.ServiceURL = serviceUrl;
                config.ForcePathStyle = true;
                config.AuthenticationRegion = s3["Region"] ?? "us-east-1";
            }
            else if (s3["Region"] is { Length: > 0 } region)
            {
                config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
            }

            var client = s3["AccessKey"] is { Length: > 0 } accessKey
                ? new AmazonS3Client(new BasicAWSCredentials(accessKey, Required(s3, "SecretKey")), config)
                : new AmazonS3Client(config);   // the SDK's credential chain (environment, profile, instance role)
            return new KycStorage("S3", s3: client, bucket: Required(s3, "Bucket"));
        }

        if (kind.Equals("AzureBlobs", StringComparison.OrdinalIgnoreCase))
        {
            var azure = configuration.GetSection("KycPortal:AzureBlobs");
            return new KycStorage("AzureBlobs", container: new BlobContainerClient(Required(azure, "ConnectionString"), Required(azure, "Container")));
        }

        throw new InvalidOperationException($"KycPortal:Store is '{kind}': use Local (the default), S3 or AzureBlobs.");
    }

    /// <summary>Registers the app's writer (<see cref="IKycFileStore"/>).</summary>
    public void AddTo(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(this);
        switch (Kind)
        {
            case "S3":
                services.AddSingleton<IKycFileStore>(new S3KycFileStore(_s3!, _bucket!));
                break;
            case "AzureBlobs":
                services.AddSingleton<IKycFileStore>(new AzureBlobKycFileStore(_container!));
                break;
            default:
                services.AddSingleton<IKycFileStore, LocalKycFileStore>();
                break;
        }
    }

    /// <summary>Points a signed folder at the bucket or container (nothing to do for the local folder: its RootPath).</summary>
    public ISignedStaticFilesBuilder Serve(ISignedStaticFilesBuilder builder, KycFolder folder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Kind switch
        {
            "S3" => builder.ServeFromS3(_s3!, _bucket!, Prefix(folder)),
            "AzureBlobs" => builder.ServeFromAzureBlobs(_container!, Prefix(folder)),
            _ => builder,
        };
    }

    /// <summary>Creates the container when it does not exist (Azure only; an S3 bucket is created by its owner).</summary>
    public async Task EnsureCreatedAsync()
    {
        if (_container is not null)
        {
            await _container.CreateIfNotExistsAsync();
        }
    }

    private static string Required(IConfigurationSection section, string key) =>
        section[key] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{section.Path}:{key} is required when KycPortal:Store is set to {section.Key}.");
}
