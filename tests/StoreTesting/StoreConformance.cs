using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;
using SignedStaticFiles.Tests.Middleware;

namespace SignedStaticFiles.StoreTesting;

/// <summary>
/// The conformance table of the local folder (<see cref="StaticFileConformance"/>) with <c>/protected</c> served
/// from a store: every file is written both into the store (with its SDK) and into the local folder behind
/// <c>/public</c>. The expected answers differ from UseStaticFiles' only in the validators: <c>ETag</c> is the
/// object's own ETag and <c>Last-Modified</c> its own time, as the store's SDK reports them.
/// </summary>
public abstract class StoreConformance : StaticFileConformance
{
    private readonly Dictionary<SignedHost, ITestStore> _stores = [];
    private ITestStore? _first;

    /// <summary>A fresh bucket or container on the shared server.</summary>
    protected abstract Task<ITestStore> CreateStoreAsync();

    private protected override async Task<SignedHost> StartHostAsync(Action<SignedStaticFilesOptions>? configure = null)
    {
        var store = await CreateStoreAsync();
        var host = await SignedHost.StartAsync(configure, b => store.Serve(b.Services.AddSignedStaticFiles()));
        _stores[host] = store;
        _first ??= store;
        return host;
    }

    private protected override async Task WriteAsync(SignedHost host, string relativePath, byte[] content)
    {
        host.WriteFile(relativePath, content);
        await _stores[host].PutAsync(relativePath, content);
    }

    protected override async Task<Validators> ProtectedValidatorsAsync(string relativePath, Validators publicOnes)
    {
        var (etag, lastModified) = await _first!.PropertiesAsync(relativePath);
        return new Validators(etag, lastModified.ToString("R"));
    }
}
