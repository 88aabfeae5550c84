using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.StoreTesting;

namespace SignedStaticFiles.AzureBlobs.Tests.Infrastructure;

/// <summary>
/// A container of Azurite, Microsoft's Azure Storage emulator (npm <c>azurite</c> 3.35.0, the last release that
/// runs on node 20), reached with Azure.Storage.Blobs through the emulator's well-known development account.
/// </summary>
public sealed class AzureTestStore : ITestStore
{
    public const string Prefix = "files/";

    // Azurite's documented development account (the same in every installation; not a secret).
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly BlobContainerClient _admin;

    private AzureTestStore(NodeServer server, string container)
    {
        Server = server;
        ContainerName = container;
        _admin = NewContainerClient(server.Endpoint, container);
    }

    public NodeServer Server { get; }

    public RequestLog Requests { get; } = new();

    public string ContainerName { get; }

    public static Task<NodeServer> StartServerAsync() =>
        NodeServer.StartAsync("azurite", (port, data) =>
        [
            NodeServer.RequireModule("azurite/dist/src/blob/main.js"),
            "--blobHost", "127.0.0.1",
            "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--location", data,
            "--silent",
            "--disableTelemetry",
            // The SDK may speak a newer service version than this Azurite release knows.
            "--skipApiVersionCheck",
            "--loose",
        ]);

    public static async Task<AzureTestStore> CreateAsync(NodeServer server)
    {
        var store = new AzureTestStore(server, "c" + Guid.NewGuid().ToString("N")[..16]);
        await store._admin.CreateAsync();
        return store;
    }

    /// <summary>A container client of the development account, with bounded retries, optionally recording its requests.</summary>
    public static BlobContainerClient NewContainerClient(Uri endpoint, string container, RequestLog? log = null)
    {
        var options = new BlobClientOptions { Retry = { MaxRetries = 1, NetworkTimeout = TimeSpan.FromSeconds(30) } };
        if (log is not null)
        {
            options.Transport = new HttpClientTransport(new HttpClient(log.Wrap(new SocketsHttpHandler())));
        }

        var connection = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={endpoint}{AccountName};";
        return new BlobServiceClient(connection, options).GetBlobContainerClient(container);
    }

    public Task PutAsync(string path, byte[] content) => PutOutsidePrefixAsync(Prefix + path, content);

    public Task PutOutsidePrefixAsync(string key, byte[] content) =>
        _admin.GetBlobClient(key).UploadAsync(new BinaryData(content), overwrite: true);

    public Task EnsureCreatedAsync() => _admin.CreateIfNotExistsAsync();

    public Task DeleteAsync(string path) => _admin.GetBlobClient(Prefix + path).DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots);

    public async Task<(string ETag, DateTimeOffset LastModified)> PropertiesAsync(string path)
    {
        var properties = (await _admin.GetBlobClient(Prefix + path).GetPropertiesAsync()).Value;
        return (properties.ETag.ToString("H"), properties.LastModified);
    }

    public void Serve(ISignedStaticFilesBuilder builder, Uri? endpoint = null) =>
        builder.ServeFromAzureBlobs(NewContainerClient(endpoint ?? Server.Endpoint, ContainerName, Requests), "/files");

    public async Task<long> ReadDirectAsync(string path)
    {
        using var result = (await _admin.GetBlobClient(Prefix + path).DownloadStreamingAsync()).Value;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        long total = 0;
        int read;
        while ((read = await result.Content.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        return total;
    }

    public async Task<ITestStore> CreateSiblingAsync() => await CreateAsync(Server);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
