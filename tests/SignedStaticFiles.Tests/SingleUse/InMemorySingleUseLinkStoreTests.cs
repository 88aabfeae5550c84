using Microsoft.Extensions.Time.Testing;
using SignedStaticFiles.SingleUse;

namespace SignedStaticFiles.Tests.SingleUse;

public sealed class InMemorySingleUseLinkStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryConsume_FirstCallWins_LaterCallsLose()
    {
        var store = new InMemorySingleUseLinkStore(new FakeTimeProvider(Start));

        Assert.False(await store.IsConsumedAsync("link-a", default));
        Assert.True(await store.TryConsumeAsync("link-a", Start.AddMinutes(5), default));
        Assert.True(await store.IsConsumedAsync("link-a", default));
        Assert.False(await store.TryConsumeAsync("link-a", Start.AddMinutes(5), default));
        Assert.True(await store.TryConsumeAsync("link-b", Start.AddMinutes(5), default));
    }

    [Fact]
    public async Task TryConsume_ManyThreadsSameLink_ExactlyOneWinsEachTime()
    {
        var store = new InMemorySingleUseLinkStore(new FakeTimeProvider(Start));
        const int links = 200, contenders = 32;
        for (var i = 0; i < links; i++)
        {
            var linkId = "link-" + i;
            using var gate = new ManualResetEventSlim();
            var attempts = Enumerable.Range(0, contenders)
                .Select(_ => Task.Factory.StartNew(
                    () => { gate.Wait(); return store.TryConsumeAsync(linkId, Start.AddMinutes(5), default).AsTask().Result; },
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
                .ToArray();
            gate.Set();
            var results = await Task.WhenAll(attempts);
            Assert.Equal(1, results.Count(won => won));
        }
    }

    [Fact]
    public async Task Sweep_DropsRecordsPastKeepUntil_KeepsLiveOnes()
    {
        var time = new FakeTimeProvider(Start);
        var store = new InMemorySingleUseLinkStore(time);
        await store.TryConsumeAsync("short", Start.AddMinutes(2), default);
        await store.TryConsumeAsync("long", Start.AddHours(2), default);

        time.Advance(TimeSpan.FromMinutes(3));
        await store.TryConsumeAsync("trigger", Start.AddHours(1), default);

        Assert.Equal(2, store.Count);
        Assert.False(await store.IsConsumedAsync("short", default));
        Assert.True(await store.IsConsumedAsync("long", default));
    }

    [Fact]
    public async Task Sweep_RunsAtMostOncePerInterval()
    {
        var time = new FakeTimeProvider(Start);
        var store = new InMemorySingleUseLinkStore(time);
        await store.TryConsumeAsync("first", Start.AddSeconds(10), default); // sweeps (nothing), next sweep in 1 minute
        time.Advance(TimeSpan.FromSeconds(30));
        await store.TryConsumeAsync("second", Start.AddHours(1), default);

        Assert.True(await store.IsConsumedAsync("first", default)); // past keepUntil, but no sweep was due

        time.Advance(InMemorySingleUseLinkStore.SweepInterval);
        await store.TryConsumeAsync("third", Start.AddHours(1), default);
        Assert.False(await store.IsConsumedAsync("first", default));
    }
}
