using System.Net;
using KycPortal.Data;
using KycPortal.Tests.Infrastructure;

namespace KycPortal.Tests;

/// <summary>
/// Each submission has a contract (a PDF drawn with SkiaSharp's SKDocument) in a second folder, <c>contracts</c>,
/// served as it is (no image engine) through single-use attachment links: the first GET downloads it, any later
/// use answers 410.
/// </summary>
public sealed class ContractTests
{
    [Fact]
    public async Task Contract_IsASingleUseAttachment_200Once_410After()
    {
        await using var app = new KycPortalFactory();
        using var applicant = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        var page = await Pages.GetDocumentAsync(applicant, "/Kyc");
        var link = page.QuerySelector("a#contract")!;
        var href = link.GetAttribute("href")!;
        Assert.StartsWith("/contracts/kyc/", href, StringComparison.Ordinal);
        Assert.Contains("?token=", href, StringComparison.Ordinal);

        using (var first = await applicant.GetAsync(href))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("application/pdf", first.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", first.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("kyc-agreement.pdf", first.Content.Headers.ContentDisposition?.FileNameStar ?? first.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var pdf = await first.Content.ReadAsByteArrayAsync();
            Assert.True(pdf.AsSpan().StartsWith("%PDF-"u8));
            Assert.True(pdf.Length > 500, $"the contract is {pdf.Length} bytes");
        }

        using (var second = await applicant.GetAsync(href))
        {
            Assert.Equal(HttpStatusCode.Gone, second.StatusCode);
            Assert.False((await second.Content.ReadAsByteArrayAsync()).AsSpan().StartsWith("%PDF-"u8));
        }

        // The contract's folder is its own: its path under the documents folder's request path opens nothing.
        var path = href[..href.IndexOf('?', StringComparison.Ordinal)];
        using (var elsewhere = await applicant.GetAsync("/protected" + path["/contracts".Length..] + href[href.IndexOf('?', StringComparison.Ordinal)..]))
        {
            Assert.NotEqual(HttpStatusCode.OK, elsewhere.StatusCode);
        }

        // The reviewer gets a link of their own; the applicant's used one stays used.
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var details = await Pages.GetDocumentAsync(reviewer, await KycFlowTests.SeededDetailsUrlAsync(app));
        var reviewerHref = details.QuerySelector("a#contract")!.GetAttribute("href")!;
        Assert.NotEqual(href, reviewerHref);
        using (var own = await reviewer.GetAsync(reviewerHref))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        // A download is in the audit trail like any view.
        var views = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.AuditEntries.Where(a => a.Path.StartsWith("/contracts/"))));
        Assert.Equal(2, views.Count);
        Assert.All(views, v => Assert.NotNull(v.SubmissionId));
    }
}
