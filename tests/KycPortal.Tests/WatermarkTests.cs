using KycPortal.Data;
using Microsoft.Extensions.DependencyInjection;
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
        var document = await Pages.GetDocumentAsync(client, page);
        var urls = Pages.DocumentImageUrls(document);
        Assert.Equal(3, urls.Count);

        // The text is sealed in the token by <signed-img watermark="...">, not left in the page.
        Assert.DoesNotContain(document.QuerySelectorAll(".documents img"), img => img.HasAttribute("watermark"));

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

    [Fact]
    public async Task ReviewerAndApplicant_GetDifferentlyStampedCopiesOfTheSameFile()
    {
        await using var app = new KycPortalFactory();
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        using var applicant = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        var reviewerUrl = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(reviewer, "/Review/Details/1"))[0];
        var applicantUrl = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(applicant, "/Kyc"))[0];
        Assert.Equal(reviewerUrl[..reviewerUrl.IndexOf('?', StringComparison.Ordinal)], applicantUrl[..applicantUrl.IndexOf('?', StringComparison.Ordinal)]);

        var reviewerCopy = await KycFlowTests.AssertIsImageAsync(reviewer, reviewerUrl);
        var applicantCopy = await KycFlowTests.AssertIsImageAsync(applicant, applicantUrl);

        using var a = Image.Load<Rgb24>(reviewerCopy);
        using var b = Image.Load<Rgb24>(applicantCopy);
        Assert.True(ChangedPixelShare(a, b) > 0.01, "the reviewer's stamp and the applicant's copy stamp should differ");
    }

    /// <summary>
    /// The identity documents' folder requires forensic fields: a page cannot mint a link whose stamp drops who
    /// looks ({user}) or which link it is ({link}); the sample's own texts carry both.
    /// </summary>
    [Fact]
    public async Task DocumentsFolder_RefusesAStampWithoutUserAndLink()
    {
        await using var app = new KycPortalFactory();
        var generator = app.Services.GetRequiredService<SignedStaticFiles.ISignedUrlGenerator>();
        const string path = "~/protected/kyc/0123456789abcdef01234567/front.jpg";

        Assert.False(generator.TryGetSignedUrl(path, new SignedStaticFiles.SignedUrlOptions { WatermarkText = "Applicant copy" }, out _));
        Assert.False(generator.TryGetSignedUrl(path, new SignedStaticFiles.SignedUrlOptions { WatermarkText = "Seen by {user}" }, out _));
        Assert.True(generator.TryGetSignedUrl(path, new SignedStaticFiles.SignedUrlOptions { WatermarkText = KycPortal.Controllers.ReviewController.ReviewStamp }, out _));
        Assert.True(generator.TryGetSignedUrl(path, new SignedStaticFiles.SignedUrlOptions { WatermarkText = KycPortal.Controllers.KycController.ApplicantStamp }, out _));
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
