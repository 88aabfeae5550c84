using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.S3.Tests.Infrastructure;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.S3.Tests;

/// <summary>Registration: the client from DI (keyed by folder first), a clear startup failure without one, argument checks.</summary>
[Collection(S3ServerGroup.Name)]
public sealed class S3RegistrationTests(S3ServerFixture server)
{
    [Fact]
    public async Task ClientFromServices_IsUsed_KeyedByFolderFirst()
    {
        var store = await S3TestStore.CreateAsync(server.Server);
        await store.PutAsync("di.txt", "from DI"u8.ToArray());
        await using var host = await SignedHost.StartAsync(builder: b =>
        {
            // An unkeyed client pointing nowhere: the folder's keyed client must win.
            b.Services.AddSingleton<IAmazonS3>(S3TestStore.NewClient(new Uri("http://127.0.0.1:9")));
            b.Services.AddKeyedSingleton<IAmazonS3>(string.Empty, S3TestStore.NewClient(server.Server.Endpoint));
            b.Services.AddSignedStaticFiles().ServeFromS3(store.Bucket, S3TestStore.Prefix);
        });

        Assert.Equal("from DI", await host.Client.GetStringAsync(host.Generator.GetSignedUrl("/protected/di.txt")));
    }

    [Fact]
    public async Task NoClientInServices_StopsTheAppAtStartup_NamingTheCall()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            SignedHost.StartAsync(builder: b => b.Services.AddSignedStaticFiles().ServeFromS3("some-bucket")));

        Assert.Contains("IAmazonS3", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("ServeFromS3", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void EmptyBucketName_Throws(string bucket)
    {
        var builder = new ServiceCollection().AddSignedStaticFiles();

        Assert.Throws<ArgumentException>(() => builder.ServeFromS3(S3TestStore.NewClient(server.Server.Endpoint), bucket));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("kyc", "kyc/")]
    [InlineData("/kyc/", "kyc/")]
    [InlineData("a/b", "a/b/")]
    public void KeyPrefix_NamesAFolderOfTheBucket(string? prefix, string normalized) =>
        Assert.Equal(normalized, SignedStaticFiles.Stores.ObjectKeys.NormalizePrefix(prefix));
}
