using SignedStaticFiles.Watermarking;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.Tests.Watermarking;

/// <summary>
/// A text renderer plugged through the extension point: counts calls and can hold every render until
/// released, so tests can line up concurrent requests while a render is in flight.
/// </summary>
internal sealed class CountingRenderer : IWatermarkTextRenderer
{
    private readonly GlyphAtlasTextRenderer _inner = new();
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

    public Image<L8> Render(string text, int lineHeight)
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
