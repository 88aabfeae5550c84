using System.Net;
using KycPortal.Data;
using KycPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KycPortal.Tests;

/// <summary>
/// The audit trail under attack: a flood of refused requests must not bury the reviewers' views, and a
/// refusal must land on the submission it was aimed at however the path was spelled.
/// </summary>
public sealed class AuditTests
{
    /// <summary>
    /// 900 anonymous requests without a token (three seconds' worth of a small script) against the seeded
    /// submission's files: they are counted per path and minute, a handful of rows, and the reviewer's three
    /// views stay on the submission page, listed apart from the refusals.
    /// </summary>
    [Fact]
    public async Task TokenlessFlood_IsCountedNotListed_ReviewerViewsStayOnThePage()
    {
        await using var app = new KycPortalFactory();
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var detailsUrl = await KycFlowTests.SeededDetailsUrlAsync(app);
        var urls = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(reviewer, detailsUrl));
        foreach (var url in urls)
        {
            await KycFlowTests.AssertIsImageAsync(reviewer, url);
        }

        var paths = urls.Select(u => u[..u.IndexOf('?', StringComparison.Ordinal)]).ToArray();
        using var attacker = app.NewClient();
        var refused = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 900), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var response = await attacker.GetAsync(paths[i % paths.Length], ct);
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                Interlocked.Increment(ref refused);
            }
        });
        Assert.Equal(900, refused);

        var page = await Pages.GetDocumentAsync(reviewer, detailsUrl);
        var views = page.QuerySelectorAll("#views tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(3, views.Count);
        Assert.All(views, v => Assert.Contains(DatabaseSetup.ReviewerEmail, v, StringComparison.Ordinal));

        // At most one row per file, outcome and minute (six if the flood straddled a minute), adding up to 900.
        var refusals = page.QuerySelectorAll("#refusals tbody tr").ToList();
        Assert.InRange(refusals.Count, 3, 6);
        Assert.Equal(900, refusals.Sum(r => int.Parse(r.QuerySelector(".count")!.TextContent, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(refusals, r => Assert.Contains("MissingToken", r.TextContent, StringComparison.Ordinal));
        Assert.InRange(await app.WithDbAsync(db => db.RefusalTallies.CountAsync()), 3, 6);
        Assert.Equal(3, await app.WithDbAsync(db => db.AuditEntries.CountAsync()));
    }

    /// <summary>
    /// The same file asked for under other spellings a server accepts (another case for the folder, a doubled
    /// slash, an encoded slash): each refusal is attributed to the submission, under the file's one path.
    /// </summary>
    [Fact]
    public async Task RefusalsOfOtherSpellings_AreAttributedToTheSubmission()
    {
        await using var app = new KycPortalFactory();
        var root = app.StartKestrel().ToString().TrimEnd('/');
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var detailsUrl = await KycFlowTests.SeededDetailsUrlAsync(app);
        var url = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(reviewer, detailsUrl))[0];
        var path = url[..url.IndexOf('?', StringComparison.Ordinal)];
        var token = url[url.IndexOf('?', StringComparison.Ordinal)..];
        Assert.StartsWith("/protected/kyc/", path, StringComparison.Ordinal);
        var rest = path["/protected/kyc/".Length..];

        var spellings = new[]
        {
            "/PROTECTED/kyc/" + rest,
            "/protected//kyc/" + rest,
            "/protected/kyc%2F" + rest.Replace("/", "%2F", StringComparison.Ordinal),
            "/Protected/KYC/" + rest,
        };
        using var raw = new HttpClient(new SocketsHttpHandler { UseCookies = false });
        foreach (var spelling in spellings)
        {
            foreach (var query in new[] { "", token })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root + spelling + query));
                Assert.Equal(spelling, request.RequestUri!.AbsolutePath);   // sent as written
                using var response = await raw.SendAsync(request);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }
        }

        var seededId = await app.WithDbAsync(db => db.Submissions.Where(s => s.ApplicantEmail == DatabaseSetup.ApplicantEmail).Select(s => s.Id).SingleAsync());
        // Over Kestrel the client can hold the whole answer a moment before the server's audit hook has run.
        var tallies = await Eventually.ReadAsync(() => app.WithDbAsync(db => db.RefusalTallies.ToListAsync()), t => t.Sum(x => x.Count) >= 8);
        Assert.Equal(8, tallies.Sum(t => t.Count));
        Assert.All(tallies, t => Assert.Equal((seededId, path), (t.SubmissionId, t.Path)));

        var page = await Pages.GetDocumentAsync(reviewer, detailsUrl);
        var shown = page.QuerySelectorAll("#refusals tbody tr").Sum(r => int.Parse(r.QuerySelector(".count")!.TextContent, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(8, shown);
    }

    /// <summary>
    /// The folder's request path is configuration (appsettings.json), read by the views and the audit from the
    /// package's options: moved to /documents, the pages link there, the images are served from there, and views
    /// and refusals are still attributed to the submission.
    /// </summary>
    [Fact]
    public async Task RequestPathFromConfiguration_LinksAndAuditFollowIt()
    {
        await using var app = new KycPortalFactory(new Dictionary<string, string?> { ["SignedStaticFiles:RequestPath"] = "/documents" });
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var detailsUrl = await KycFlowTests.SeededDetailsUrlAsync(app);
        var urls = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(reviewer, detailsUrl));
        Assert.Equal(3, urls.Count);
        Assert.All(urls, u => Assert.StartsWith("/documents/kyc/", u, StringComparison.Ordinal));
        await KycFlowTests.AssertIsImageAsync(reviewer, urls[0]);
        using var anonymous = app.NewClient();
        using (var refused = await anonymous.GetAsync(urls[1][..urls[1].IndexOf('?', StringComparison.Ordinal)]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var page = await Pages.GetDocumentAsync(reviewer, detailsUrl);
        Assert.Single(page.QuerySelectorAll("#views tbody tr"));
        Assert.Equal("1", Assert.Single(page.QuerySelectorAll("#refusals tbody tr")).QuerySelector(".count")?.TextContent);
        Assert.All(await app.WithDbAsync(db => db.RefusalTallies.Select(t => t.Path).ToListAsync()), p => Assert.StartsWith("/documents/kyc/", p, StringComparison.Ordinal));
    }
}
