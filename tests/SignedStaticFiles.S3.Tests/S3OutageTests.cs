using SignedStaticFiles.S3.Tests.Infrastructure;
using SignedStaticFiles.StoreTesting;

namespace SignedStaticFiles.S3.Tests;

/// <summary>The outage suite (<see cref="StoreOutageTests"/>) over s3rver, killed or frozen.</summary>
public sealed class S3OutageTests : StoreOutageTests
{
    protected override Task<NodeServer> StartServerAsync() => S3TestStore.StartServerAsync();

    protected override async Task<ITestStore> CreateStoreAsync(NodeServer server) => await S3TestStore.CreateAsync(server);
}
