using System.Net;
using KycPortal.Data;
using KycPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SixLabors.ImageSharp;

namespace KycPortal.Tests;

/// <summary>What a reviewer is shown: every document at full size, each copy stamped with the link it came through.</summary>
public sealed class ReviewPageTests
{
    [Fact]
    public async Task EachThumbnail_OpensItsDocumentAtFullSize_ThroughASignedLink()
    {
        await using var app = new KycPortalFactory();
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var detailsUrl = await KycFlowTests.SeededDetailsUrlAsync(app);
        var id = detailsUrl[(detailsUrl.LastIndexOf('/') + 1)..];
        var details = await Pages.GetDocumentAsync(reviewer, detailsUrl);
        var figures = details.QuerySelectorAll(".documents figure").ToList();
        Assert.Equal(3, figures.Count);

        foreach (var (figure, side) in figures.Zip(new[] { "front", "back", "selfie" }))
        {
            var thumbnail = figure.QuerySelector("img")!.GetAttribute("src")!;
            Assert.Equal($"/Review/Document/{id}/{side}", figure.QuerySelector("a")!.GetAttribute("href"));

            var page = await Pages.GetDocumentAsync(reviewer, $"/Review/Document/{id}/{side}");
            var src = page.QuerySelector("#document")!.GetAttribute("src")!;
            Assert.Contains("?token=", src, StringComparison.Ordinal);
            var path = src[..src.IndexOf('?', StringComparison.Ordinal)];
            Assert.Equal(thumbnail[..thumbnail.IndexOf('?', StringComparison.Ordinal)], path);
            Assert.Null(page.QuerySelector("#document")!.GetAttribute("width"));

            // The page asks for the stored image itself (stamped), not a smaller copy.
            var served = await KycFlowTests.AssertIsImageAsync(reviewer, src);
            var stored = Image.Identify(await File.ReadAllBytesAsync(Path.Combine(app.ProtectedFolder, path["/protected/".Length..])));
            var shown = Image.Identify(served);
            Assert.Equal((stored.Width, stored.Height), (shown.Width, shown.Height));
        }

        using (var unknown = await reviewer.GetAsync($"/Review/Document/{id}/passport"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using var applicant = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        using var denied = await applicant.GetAsync($"/Review/Document/{id}/front");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/Account/AccessDenied", denied.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The reviewer's stamp carries the link id ({link}): two links to the same file for the same reviewer in the
    /// same minute give differently stamped copies, while one link fetched twice gives the same bytes. Without
    /// {link} a leaked screenshot could not say which link it came from.
    /// </summary>
    [Fact]
    public async Task ReviewStamp_NamesTheLink_TwoLinksToOneFileAreStampedDifferently()
    {
        await using var app = new KycPortalFactory();
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var detailsUrl = await KycFlowTests.SeededDetailsUrlAsync(app);

        for (var attempt = 0; ; attempt++)
        {
            var minute = DateTime.UtcNow.Ticks / TimeSpan.TicksPerMinute;
            var first = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(reviewer, detailsUrl))[0];
            var second = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(reviewer, detailsUrl))[0];
            Assert.NotEqual(first, second);
            var a = await KycFlowTests.AssertIsImageAsync(reviewer, first);
            var again = await KycFlowTests.AssertIsImageAsync(reviewer, first);
            var b = await KycFlowTests.AssertIsImageAsync(reviewer, second);
            if (DateTime.UtcNow.Ticks / TimeSpan.TicksPerMinute != minute && attempt < 2)
            {
                continue;   // {utc:HH:mm} changed in between: the comparison would prove nothing
            }

            Assert.Equal(a, again);
            Assert.NotEqual(a, b);
            break;
        }

        var linkIds = await app.WithDbAsync(db => db.AuditEntries.Select(e => e.LinkId).Distinct().CountAsync());
        Assert.True(linkIds >= 2);
    }
}
