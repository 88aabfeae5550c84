using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.StoreTesting;

namespace SignedStaticFiles.S3.Tests.Infrastructure;

/// <summary>
/// A bucket of a real S3-compatible server, s3rver (npm <c>@20minutes/s3rver</c>, the maintained fork of
/// <c>s3rver</c> that runs on node 20 with current dependencies), reached with AWSSDK.S3 v4 configured as for
/// any S3-compatible service: path style, checksums only when required, the server's own credentials.
/// </summary>
/// <remarks>
/// Server limitation met: s3rver builds the canonical URI of a bucket-level request without the trailing
/// slash AWSSDK v4 signs, so it rejects the SDK's CreateBucket signature. Buckets are therefore created with a
/// plain (anonymous) PUT, which s3rver allows; every object request — all the package ever makes — is signed
/// by the SDK and verified by the server.
/// </remarks>
public sealed class S3TestStore : ITestStore
{
    public const string Prefix = "files/";

    private readonly IAmazonS3 _admin;
    private readonly string _bucket;

    private S3TestStore(NodeServer server, string bucket)
    {
        Server = server;
        _bucket = bucket;
        _admin = NewClient(server.Endpoint);
    }

    public NodeServer Server { get; }

    public RequestLog Requests { get; } = new();

    public string Bucket => _bucket;

    public static Task<NodeServer> StartServerAsync() =>
        NodeServer.StartAsync("s3rver", (port, data) =>
        [
            Path.Combine(AppContext.BaseDirectory, "Infrastructure", "s3rver-host.js"),
            NodeServer.RequireModule("@20minutes/s3rver"),
            port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            data,
        ]);

    public static async Task<S3TestStore> CreateAsync(NodeServer server)
    {
        var store = new S3TestStore(server, "b" + Guid.NewGuid().ToString("N")[..16]);
        await store.EnsureCreatedAsync();
        return store;
    }

    /// <summary>A client for an S3-compatible server: path style, the server's endpoint, checksums only when required, bounded retries.</summary>
    public static IAmazonS3 NewClient(Uri endpoint, RequestLog? log = null) =>
        new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 1,
            Timeout = TimeSpan.FromSeconds(30),
            HttpClientFactory = log is null ? null : new RecordingHttpClientFactory(log),
        });

    public Task PutAsync(string path, byte[] content) => PutOutsidePrefixAsync(Prefix + path, content);

    public Task PutOutsidePrefixAsync(string key, byte[] content) =>
        _admin.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = new MemoryStream(content) });

    public async Task EnsureCreatedAsync()
    {
        using var http = new HttpClient();
        using var created = await http.PutAsync(new Uri(Server.Endpoint, _bucket), content: null);
        if (created.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            created.EnsureSuccessStatusCode();
        }
    }

    public Task DeleteAsync(string path) => _admin.DeleteObjectAsync(_bucket, Prefix + path);

    public async Task<(string ETag, DateTimeOffset LastModified)> PropertiesAsync(string path)
    {
        var metadata = await _admin.GetObjectMetadataAsync(_bucket, Prefix + path);
        return (metadata.ETag, new DateTimeOffset(metadata.LastModified!.Value.ToUniversalTime()));
    }

    public void Serve(ISignedStaticFilesBuilder builder, Uri? endpoint = null) =>
        builder.ServeFromS3(NewClient(endpoint ?? Server.Endpoint, Requests), _bucket, "/files");

    public async Task<long> ReadDirectAsync(string path)
    {
        using var response = await _admin.GetObjectAsync(_bucket, Prefix + path);
        return await DrainAsync(response.ResponseStream);
    }

    internal static async Task<long> DrainAsync(Stream stream)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        return total;
    }

    public async Task<ITestStore> CreateSiblingAsync() => await CreateAsync(Server);

    public ValueTask DisposeAsync()
    {
        _admin.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class RecordingHttpClientFactory(RequestLog log) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(log.Wrap(new SocketsHttpHandler()));

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    }
}
