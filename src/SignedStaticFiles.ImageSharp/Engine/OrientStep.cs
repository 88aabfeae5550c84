using System.Text;
using SignedStaticFiles.ImageSharp.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SignedStaticFiles.ImageSharp.Engine;

/// <summary>
/// Turns the pixels upright as the EXIF orientation says, so that redaction regions (fractions of the
/// upright image) and the stamp land where a viewer sees them, and the output needs no orientation tag.
/// The tag is read from the raw block (<see cref="ImageContainer.ReadOrientation"/>); ImageSharp's own
/// mapping is applied through a profile that holds that one value.
/// </summary>
internal sealed class OrientStep : IVariantStep
{
    public static OrientStep Instance { get; } = new();

    public void Describe(StringBuilder description) => description.Append("orient(exif)");

    public void Apply<TPixel>(Image<TPixel> image, ReadOnlySpan<byte> source)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var orientation = ImageContainer.ReadOrientation(source);
        if (orientation <= 1)
        {
            return;
        }

        var profile = new ExifProfile();
        profile.SetValue(ExifTag.Orientation, orientation);
        image.Metadata.ExifProfile = profile;
        image.Mutate(x => x.AutoOrient());
        image.Metadata.ExifProfile = null;
    }
}
