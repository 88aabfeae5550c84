using Microsoft.Extensions.Time.Testing;
using SignedStaticFiles.Stores;

namespace SignedStaticFiles.Tests.Stores;

/// <summary>The bounded, short-lived metadata cache of object stores: expiry, bound, eviction by folder.</summary>
public sealed class StoreMetadataCacheTests
{
    private static SignedFileInfo File(string path) => new() { Path = path, Length = 1, LastModified = DateTimeOffset.UnixEpoch, Version = "v" };

    [Fact]
    public void Entry_ExpiresAfterTheDuration()
    {
        var time = new FakeTimeProvider();
        var cache = new StoreMetadataCache(10, TimeSpan.FromSeconds(5), time);
        cache.Set("/a", File("/a"));

        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(cache.TryGet("/a", out _));
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.False(cache.TryGet("/a", out _));
    }

    [Fact]
    public void Cache_NeverHoldsMoreThanItsSize_OldestGoFirst()
    {
        var cache = new StoreMetadataCache(100, TimeSpan.FromMinutes(1), new FakeTimeProvider());
        for (var i = 0; i < 1000; i++)
        {
            cache.Set("/f" + i, File("/f" + i));
            Assert.True(cache.Count <= 100);
        }

        Assert.False(cache.TryGet("/f0", out _));
        Assert.True(cache.TryGet("/f999", out _));
    }

    [Fact]
    public void RefreshingTheSamePaths_DoesNotGrowTheCache()
    {
        var cache = new StoreMetadataCache(10, TimeSpan.FromMinutes(1), new FakeTimeProvider());
        for (var i = 0; i < 10_000; i++)
        {
            cache.Set("/same", File("/same"));
        }

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("/same", out _));
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(10, 0)]
    public void ZeroSizeOrDuration_SwitchesTheCacheOff(int size, int seconds)
    {
        var cache = new StoreMetadataCache(size, TimeSpan.FromSeconds(seconds), new FakeTimeProvider());
        cache.Set("/a", File("/a"));

        Assert.False(cache.TryGet("/a", out _));
    }

    [Fact]
    public void Evict_RemovesThePathAndEverythingBelowIt_AndNothingElse()
    {
        var cache = new StoreMetadataCache(10, TimeSpan.FromMinutes(1), new FakeTimeProvider());
        foreach (var path in new[] { "/kyc", "/kyc/1.jpg", "/kyc/2/3.jpg", "/kycx/4.jpg", "/other.jpg" })
        {
            cache.Set(path, File(path));
        }

        cache.Evict("/kyc");

        Assert.False(cache.TryGet("/kyc", out _));
        Assert.False(cache.TryGet("/kyc/1.jpg", out _));
        Assert.False(cache.TryGet("/kyc/2/3.jpg", out _));
        Assert.True(cache.TryGet("/kycx/4.jpg", out _));
        Assert.True(cache.TryGet("/other.jpg", out _));

        cache.Evict("/");
        Assert.Equal(0, cache.Count);
    }
}
