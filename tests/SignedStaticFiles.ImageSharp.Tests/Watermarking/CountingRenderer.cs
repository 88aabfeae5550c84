using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.ImageSharp.Text;

namespace SignedStaticFiles.ImageSharp.Tests.Watermarking;

/// <summary>
/// The real text engine behind a counter that can hold every render until released, so tests can line up
/// concurrent requests while a render is in flight.
/// </summary>
internal sealed class CountingRenderer : IStampTextRenderer
{
    private readonly SkiaStampTextRenderer _inner = EngineHarness.Renderer;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public CountingRenderer(bool hold = false)
    {
        if (!hold)
        {
            _release.SetResult();
        }
    }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Completes when a render has started (and is being held).</summary>
    public Task Entered => _entered.Task;

    public void Release() => _release.TrySetResult();

    public StampText? Resolve(string text, string? fallback) => _inner.Resolve(text, fallback);

    public TextMask Render(StampText text, int lineHeight)
    {
        Interlocked.Increment(ref _calls);
        _entered.TrySetResult();
        if (!_release.Task.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The test never released the renderer.");
        }

        return _inner.Render(text, lineHeight);
    }
}
