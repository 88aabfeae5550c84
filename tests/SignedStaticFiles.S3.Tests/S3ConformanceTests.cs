using SignedStaticFiles.S3.Tests.Infrastructure;
using SignedStaticFiles.StoreTesting;

namespace SignedStaticFiles.S3.Tests;

/// <summary>The static-file conformance table over an S3-compatible bucket (see <see cref="StoreConformance"/>).</summary>
[Collection(S3ServerGroup.Name)]
public sealed class S3ConformanceTests(S3ServerFixture server) : StoreConformance
{
    protected override async Task<ITestStore> CreateStoreAsync() => await S3TestStore.CreateAsync(server.Server);
}
