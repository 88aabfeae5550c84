using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Engine;

/// <summary>The folder's overlay PNG (<see cref="WatermarkOptions.OverlayPath"/>), loaded once, and what identifies its version.</summary>
internal sealed class StampOverlay(Image<Rgba32> image, string identity) : IDisposable
{
    public Image<Rgba32> Image { get; } = image;

    public string Identity { get; } = identity;

    public void Dispose() => Image.Dispose();
}
