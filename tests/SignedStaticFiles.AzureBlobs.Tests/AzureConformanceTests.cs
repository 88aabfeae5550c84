using SignedStaticFiles.AzureBlobs.Tests.Infrastructure;
using SignedStaticFiles.StoreTesting;

namespace SignedStaticFiles.AzureBlobs.Tests;

/// <summary>The static-file conformance table over an Azure Blob container (see <see cref="StoreConformance"/>).</summary>
[Collection(AzuriteGroup.Name)]
public sealed class AzureConformanceTests(AzuriteFixture server) : StoreConformance
{
    protected override async Task<ITestStore> CreateStoreAsync() => await AzureTestStore.CreateAsync(server.Server);
}
