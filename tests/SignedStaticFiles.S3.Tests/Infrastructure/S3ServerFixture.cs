using SignedStaticFiles.StoreTesting;

namespace SignedStaticFiles.S3.Tests.Infrastructure;

/// <summary>One s3rver for the tests of the collection (each test makes its own bucket); outage tests start their own.</summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    public NodeServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await S3TestStore.StartServerAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class S3ServerGroup : ICollectionFixture<S3ServerFixture>
{
    public const string Name = "s3rver";
}
