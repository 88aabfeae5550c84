using SignedStaticFiles.AzureBlobs.Tests.Infrastructure;
using SignedStaticFiles.StoreTesting;

namespace SignedStaticFiles.AzureBlobs.Tests;

/// <summary>The outage suite (<see cref="StoreOutageTests"/>) over Azurite, killed or frozen.</summary>
public sealed class AzureOutageTests : StoreOutageTests
{
    protected override Task<NodeServer> StartServerAsync() => AzureTestStore.StartServerAsync();

    protected override async Task<ITestStore> CreateStoreAsync(NodeServer server) => await AzureTestStore.CreateAsync(server);
}
