using System.Net;
using KycPortal.Data;
using KycPortal.Specimens;
using KycPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace KycPortal.Tests;

/// <summary>
/// Support staff see the ID card through the "support" redaction profile: the document number and the MRZ are
/// black boxes in the image that leaves the server, and a support account cannot reach a page that mints an
/// unredacted link.
/// </summary>
public sealed class SupportTests
{
    [Fact]
    public async Task Support_SeesTheIdCard_WithDocumentNumberAndMrzFilled_TheRestAsTheReviewerSeesIt()
    {
        await using var app = new KycPortalFactory();
        var id = await SeededIdAsync(app);
        using var support = await app.SignedInClientAsync(DatabaseSetup.SupportEmail);
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);

        var supportPage = await Pages.GetDocumentAsync(support, $"/Support/Details/{id}");
        var supportUrls = Pages.DocumentImageUrls(supportPage);
        Assert.Equal(2, supportUrls.Count);   // front and back; the selfie is not support's business
        var reviewerUrls = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(reviewer, $"/Review/Details/{id}"));

        for (var i = 0; i < 2; i++)
        {
            using var redacted = Image.Load<Rgb24>(await KycFlowTests.AssertIsImageAsync(support, supportUrls[i]));
            using var full = Image.Load<Rgb24>(await KycFlowTests.AssertIsImageAsync(reviewer, reviewerUrls[i]));
            Assert.Equal((full.Width, full.Height), (redacted.Width, redacted.Height));
            AssertRedacted(full, redacted, [SpecimenCard.DocumentNumberRegion, SpecimenCard.MrzRegion], []);
        }
    }

    [Fact]
    public async Task Support_IsRefusedTheReviewerPages_403()
    {
        await using var app = new KycPortalFactory();
        var id = await SeededIdAsync(app);
        using var support = await app.SignedInClientAsync(DatabaseSetup.SupportEmail);

        foreach (var url in new[] { $"/Review/Details/{id}", $"/Review/Document/{id}/front", "/Review" })
        {
            using var response = await support.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var location = response.Headers.Location!.ToString();
            Assert.Contains("/Account/AccessDenied", location, StringComparison.Ordinal);
            using var denied = await support.GetAsync(location);
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.DoesNotContain("?token=", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // And the reviewer, the other way round, has no business on support's pages either.
        using var applicant = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        using var other = await applicant.GetAsync($"/Support/Details/{id}");
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
    }

    internal static Task<int> SeededIdAsync(KycPortalFactory app) =>
        app.WithDbAsync(db => db.Submissions.Where(s => s.ApplicantEmail == DatabaseSetup.ApplicantEmail).Select(s => s.Id).SingleAsync());

    /// <summary>
    /// Inside each masked region (a few pixels in from its edge), the redacted copy is black but for the stamp drawn
    /// over it, while the reviewer's copy shows the card's light background and its print; outside every region the
    /// two copies differ only by their stamps (another text, another link id).
    /// </summary>
    internal static void AssertRedacted(
        Image<Rgb24> full, Image<Rgb24> redacted,
        IReadOnlyList<(double X, double Y, double Width, double Height)> masked,
        IReadOnlyList<(double X, double Y, double Width, double Height)> open)
    {
        var rects = masked.Select(r => ToPixels(r, full.Width, full.Height)).ToList();
        foreach (var rect in rects)
        {
            var dark = Fraction(redacted, rect, p => Luma(p) < 48);
            var fullDark = Fraction(full, rect, p => Luma(p) < 48);
            Assert.True(dark > 0.8, $"region {rect}: {dark:P0} of the redacted copy is black (expected > 80%)");
            Assert.True(fullDark < 0.5, $"region {rect}: {fullDark:P0} of the reviewer's copy is black: the test proves nothing");
        }

        foreach (var rect in open.Select(r => ToPixels(r, full.Width, full.Height)))
        {
            Assert.True(Fraction(redacted, rect, p => Luma(p) < 48) < 0.5, $"region {rect} is masked but should not be");
        }

        // Outside the regions: the same picture (mean difference of a few levels: stamps and JPEG only).
        double sum = 0;
        long count = 0;
        for (var y = 0; y < full.Height; y += 2)
        {
            for (var x = 0; x < full.Width; x += 2)
            {
                if (rects.Any(r => x >= r.X - 4 && x < r.Right + 4 && y >= r.Y - 4 && y < r.Bottom + 4))
                {
                    continue;
                }

                sum += Math.Abs(Luma(full[x, y]) - Luma(redacted[x, y]));
                count++;
            }
        }

        var mean = sum / count;
        Assert.True(mean < 12, $"outside the regions the copies differ by {mean:F1} levels on average (expected < 12)");
    }

    private static Rectangle ToPixels((double X, double Y, double Width, double Height) r, int width, int height)
    {
        // A few pixels in from the region's edge: JPEG ringing and the outward rounding stay out of the count.
        var x = (int)Math.Ceiling(r.X * width) + 4;
        var y = (int)Math.Ceiling(r.Y * height) + 4;
        var right = (int)Math.Floor((r.X + r.Width) * width) - 4;
        var bottom = (int)Math.Floor((r.Y + r.Height) * height) - 4;
        return new Rectangle(x, y, right - x, bottom - y);
    }

    private static double Fraction(Image<Rgb24> image, Rectangle rect, Func<Rgb24, bool> predicate)
    {
        long hits = 0;
        for (var y = rect.Y; y < rect.Bottom; y++)
        {
            for (var x = rect.X; x < rect.Right; x++)
            {
                hits += predicate(image[x, y]) ? 1 : 0;
            }
        }

        return hits / (double)(rect.Width * rect.Height);
    }

    private static double Luma(Rgb24 p) => (0.299 * p.R) + (0.587 * p.G) + (0.114 * p.B);
}
