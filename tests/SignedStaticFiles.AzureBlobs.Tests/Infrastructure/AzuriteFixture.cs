using SignedStaticFiles.StoreTesting;

namespace SignedStaticFiles.AzureBlobs.Tests.Infrastructure;

/// <summary>One Azurite for the tests of the group (each test makes its own container); outage tests start their own.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public NodeServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await AzureTestStore.StartServerAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
