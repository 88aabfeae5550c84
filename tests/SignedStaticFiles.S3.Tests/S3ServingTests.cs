using SignedStaticFiles.S3.Tests.Infrastructure;
using SignedStaticFiles.StoreTesting;

namespace SignedStaticFiles.S3.Tests;

/// <summary>The store suite (<see cref="StoreServingTests"/>) over an S3-compatible bucket.</summary>
[Collection(S3ServerGroup.Name)]
public sealed class S3ServingTests(S3ServerFixture server) : StoreServingTests
{
    protected override async Task<ITestStore> CreateStoreAsync() => await S3TestStore.CreateAsync(server.Server);
}
