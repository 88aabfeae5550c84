using KycPortal.Data;
using KycPortal.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace KycPortal.Tests;

/// <summary>The sample serves identity documents watermarked only (<c>WatermarkMode.Always</c>): never the stored bytes.</summary>
public sealed class WatermarkTests
{
    [Theory]
    [InlineData(DatabaseSetup.ReviewerEmail, "/Review/Details/1")]
    [InlineData(DatabaseSetup.ApplicantEmail, "/Kyc")]
    public async Task ServedImages_AreWatermarkedCopies_NeverTheStoredFile(string email, string page)
    {
        await using var app = new KycPortalFactory();
        using var client = await app.SignedInClientAsync(email);
        var urls = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(client, page));
        Assert.Equal(3, urls.Count);

        foreach (var url in urls)
        {
            var served = await KycFlowTests.AssertIsImageAsync(client, url);
            var relative = Uri.UnescapeDataString(url["/protected/".Length..url.IndexOf('?', StringComparison.Ordinal)]);
            var stored = await File.ReadAllBytesAsync(Path.Combine(app.ProtectedFolder, relative));
            Assert.NotEqual(stored, served);

            using var original = Image.Load<Rgb24>(stored);
            using var stamped = Image.Load<Rgb24>(served);
            Assert.Equal(original.Size(), stamped.Size());
            var changed = ChangedPixelShare(original, stamped);
            Assert.True(changed > 0.01, $"only {changed:P2} of the pixels of {relative} differ from the stored file: no visible watermark");
        }
    }

    /// <summary>The share of pixels that differ by more than re-encoding noise (any channel off by over 40).</summary>
    private static double ChangedPixelShare(Image<Rgb24> a, Image<Rgb24> b)
    {
        long changed = 0;
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                var p = a[x, y];
                var q = b[x, y];
                if (Math.Abs(p.R - q.R) > 40 || Math.Abs(p.G - q.G) > 40 || Math.Abs(p.B - q.B) > 40)
                {
                    changed++;
                }
            }
        }

        return (double)changed / (a.Width * (long)a.Height);
    }
}
