using KycPortal.Services;
using KycPortal.Specimens;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace KycPortal.Tests;

/// <summary>The seed's synthetic documents: real images with real text, passing the app's own upload checks.</summary>
public sealed class SpecimenCardTests
{
    public static TheoryData<string> Sides => new() { "front", "back", "selfie" };

    [Theory]
    [MemberData(nameof(Sides))]
    public async Task Specimen_IsAJpegTheUploadChecksAccept(string side)
    {
        var bytes = Draw(side);
        var info = Image.Identify(bytes);
        Assert.Equal("JPEG", Image.DetectFormat(bytes).Name);
        if (side == "selfie")
        {
            Assert.Equal((600, 800), (info.Width, info.Height));
        }
        else
        {
            Assert.Equal((1000, 631), (info.Width, info.Height));
        }

        using var processor = new ImageUploadProcessor();
        var result = await processor.ProcessAsync(bytes, CancellationToken.None);
        Assert.Null(result.Error);

        // To look at: the test output folder keeps a PNG of each.
        using var image = Image.Load(bytes);
        await image.SaveAsPngAsync(Path.Combine(AppContext.BaseDirectory, $"specimen-{side}.png"));
    }

    /// <summary>
    /// The document number and the MRZ are where <see cref="SpecimenCard.DocumentNumberRegion"/> and
    /// <see cref="SpecimenCard.MrzRegion"/> say, on both sides: dark ink inside each region (text), so a redaction
    /// profile made of those regions covers them.
    /// </summary>
    [Theory]
    [InlineData("front")]
    [InlineData("back")]
    public void DocumentNumberAndMrz_AreInsideTheirRegions(string side)
    {
        using var card = Image.Load<Rgb24>(Draw(side));
        foreach (var region in new[] { SpecimenCard.DocumentNumberRegion, SpecimenCard.MrzRegion })
        {
            var area = new Rectangle((int)(region.X * card.Width), (int)(region.Y * card.Height), (int)(region.Width * card.Width), (int)(region.Height * card.Height));
            Assert.True(DarkShare(card, area) > 0.03, $"{side}: little ink in {area}");
        }
    }

    private static byte[] Draw(string side) => side switch
    {
        "front" => SpecimenCard.Front(),
        "back" => SpecimenCard.Back(),
        _ => SpecimenCard.Selfie(),
    };

    private static double DarkShare(Image<Rgb24> image, Rectangle area)
    {
        long dark = 0;
        for (var y = area.Top; y < area.Bottom; y++)
        {
            for (var x = area.Left; x < area.Right; x++)
            {
                var p = image[x, y];
                if (p.R + p.G + p.B < 200)
                {
                    dark++;
                }
            }
        }

        return (double)dark / (area.Width * area.Height);
    }
}
