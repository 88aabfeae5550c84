using SignedStaticFiles.AzureBlobs.Tests.Infrastructure;
using SignedStaticFiles.StoreTesting;

namespace SignedStaticFiles.AzureBlobs.Tests;

/// <summary>The store suite (<see cref="StoreServingTests"/>) over an Azure Blob container.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class AzureServingTests(AzuriteFixture server) : StoreServingTests
{
    protected override async Task<ITestStore> CreateStoreAsync() => await AzureTestStore.CreateAsync(server.Server);
}
