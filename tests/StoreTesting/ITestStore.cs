using SignedStaticFiles;

namespace SignedStaticFiles.StoreTesting;

/// <summary>
/// One bucket or container of a real server, for one test: files are written and read back with the store's
/// own SDK (never through the package), and the package's client records its requests.
/// </summary>
public interface ITestStore : IAsyncDisposable
{
    /// <summary>The server the bucket lives on.</summary>
    NodeServer Server { get; }

    /// <summary>Every request the package's client sent.</summary>
    RequestLog Requests { get; }

    /// <summary>Writes (or overwrites) a file of the served folder: <c>docs/a.txt</c> is the key <c>{prefix}docs/a.txt</c>.</summary>
    Task PutAsync(string path, byte[] content);

    /// <summary>Writes an object at the bucket's root, outside the served prefix.</summary>
    Task PutOutsidePrefixAsync(string key, byte[] content);

    Task DeleteAsync(string path);

    /// <summary>Creates the bucket or container again if a restarted server lost it (Azurite saves its state only now and then).</summary>
    Task EnsureCreatedAsync();

    /// <summary>The object's own ETag (quoted, as the store sends it) and time, read with the SDK.</summary>
    Task<(string ETag, DateTimeOffset LastModified)> PropertiesAsync(string path);

    /// <summary>
    /// Serves the folder of <paramref name="builder"/> from this bucket (ServeFromS3 / ServeFromAzureBlobs) with a
    /// recording client, reaching the server at <paramref name="endpoint"/> (a counting proxy) or directly.
    /// </summary>
    void Serve(ISignedStaticFilesBuilder builder, Uri? endpoint = null);

    /// <summary>Reads a whole file with the SDK directly (no package in between) and returns its length.</summary>
    Task<long> ReadDirectAsync(string path);

    /// <summary>The same, over another bucket or container of the same server (a link of one must never open the other).</summary>
    Task<ITestStore> CreateSiblingAsync();
}
