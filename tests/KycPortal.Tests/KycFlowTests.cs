using System.Net;
using AngleSharp.Dom;
using KycPortal.Data;
using KycPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SixLabors.ImageSharp;

namespace KycPortal.Tests;

/// <summary>The application end to end over WebApplicationFactory: upload, review, decide, and who may see what.</summary>
public sealed class KycFlowTests
{
    [Fact]
    public async Task FullFlow_ApplicantUploads_ReviewerSeesThreeImages_Approves()
    {
        await using var app = new KycPortalFactory();
        using var applicant = await app.SignedInClientAsync(DatabaseSetup.Applicant2Email);

        using (var upload = await Pages.UploadAsync(applicant, TestImages.GoodJpeg("front.jpg"), TestImages.GoodPng("back.png"), TestImages.GoodJpeg("me.jpg")))
        {
            Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
            Assert.Equal("/Kyc", upload.Headers.Location?.OriginalString);
        }

        var mine = await Pages.GetDocumentAsync(applicant, "/Kyc");
        Assert.Equal("Pending", mine.QuerySelector("#status")?.TextContent);
        Assert.Equal(3, Pages.DocumentImageUrls(mine).Count);

        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var queue = await Pages.GetDocumentAsync(reviewer, "/Review");
        var row = queue.QuerySelectorAll("#pending tbody tr").Single(r => r.TextContent.Contains(DatabaseSetup.Applicant2Email, StringComparison.Ordinal));
        var detailsUrl = row.QuerySelector("a")!.GetAttribute("href")!;
        Assert.Matches("^/Review/Details/[0-9]+$", detailsUrl);

        var details = await Pages.GetDocumentAsync(reviewer, detailsUrl);
        var images = Pages.DocumentImageUrls(details);
        Assert.Equal(3, images.Count);
        Assert.Equal(3, images.Distinct().Count());
        foreach (var url in images)
        {
            Assert.StartsWith("/protected/kyc/", url, StringComparison.Ordinal);
            Assert.Contains("?token=", url, StringComparison.Ordinal);
            await AssertIsImageAsync(reviewer, url);
        }

        // Stored under random names, in the format of their content: never the uploader's file names.
        var seededKey = await app.WithDbAsync(db => db.Submissions.Where(s => s.ApplicantEmail == DatabaseSetup.ApplicantEmail).Select(s => s.StorageKey).SingleAsync());
        var stored = app.ProtectedFiles().Where(f => !f.Contains(seededKey, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, stored.Count);
        Assert.DoesNotContain(stored, f => f.Contains("front", StringComparison.Ordinal) || f.Contains("me.", StringComparison.Ordinal));
        Assert.Single(stored, f => f.EndsWith(".png", StringComparison.Ordinal));

        using (var approve = await PostDecisionAsync(reviewer, details, detailsUrl, "approve", "Documents match."))
        {
            Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        }

        var decided = await Pages.GetDocumentAsync(reviewer, detailsUrl);
        Assert.Equal("Approved", decided.QuerySelector("#status")?.TextContent);
        Assert.Null(decided.QuerySelector("form.decision"));
        var after = await Pages.GetDocumentAsync(applicant, "/Kyc");
        Assert.Equal("Approved", after.QuerySelector("#status")?.TextContent);
        Assert.DoesNotContain(DatabaseSetup.Applicant2Email, (await Pages.GetDocumentAsync(reviewer, "/Review")).Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewerImageUrl_AnonymousOrOtherApplicant_Returns403()
    {
        await using var app = new KycPortalFactory();
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var url = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(reviewer, await SeededDetailsUrlAsync(app)))[0];
        await AssertIsImageAsync(reviewer, url);

        using var anonymous = app.NewClient();
        using (var response = await anonymous.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // Even the applicant whose document it is cannot reuse the reviewer's link, nor can anyone else.
        foreach (var email in new[] { DatabaseSetup.Applicant2Email, DatabaseSetup.ApplicantEmail })
        {
            using var other = await app.SignedInClientAsync(email);
            using var response = await other.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // And the file is not reachable without a link at all, nor through the public static files.
        using (var bare = await reviewer.GetAsync(url[..url.IndexOf('?', StringComparison.Ordinal)]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
        }
    }

    [Fact]
    public async Task ApplicantImageUrl_OtherApplicant_Returns403()
    {
        await using var app = new KycPortalFactory();
        using var owner = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        var urls = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(owner, "/Kyc"));
        Assert.Equal(3, urls.Count);
        await AssertIsImageAsync(owner, urls[0]);

        using var other = await app.SignedInClientAsync(DatabaseSetup.Applicant2Email);
        using var response = await other.GetAsync(urls[0]);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task EachImageView_WritesOneAuditRow_RefusalsAreCounted_BothShownOnDetailsPage()
    {
        await using var app = new KycPortalFactory();
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var detailsUrl = await SeededDetailsUrlAsync(app);
        var url = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(reviewer, detailsUrl))[1];
        var path = url[..url.IndexOf('?', StringComparison.Ordinal)];
        Assert.Equal(0, await app.WithDbAsync(db => db.AuditEntries.CountAsync()));

        await AssertIsImageAsync(reviewer, url);
        var rows = await app.WithDbAsync(db => db.AuditEntries.ToListAsync());
        var served = Assert.Single(rows);
        Assert.Equal(path, served.Path);
        Assert.Equal("Served", served.Outcome);
        Assert.Equal(200, served.StatusCode);
        Assert.Equal(DatabaseSetup.ReviewerEmail, served.UserName);
        Assert.NotNull(served.SubmissionId);
        Assert.NotNull(served.LinkId);
        Assert.DoesNotContain(served.LinkId!, url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..], StringComparison.Ordinal);

        // A refusal is counted, with who tried (nobody), why and through which link; twice is a count of two.
        using var anonymous = app.NewClient();
        for (var i = 0; i < 2; i++)
        {
            using var refused = await anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var tally = Assert.Single(await app.WithDbAsync(db => db.RefusalTallies.ToListAsync()));
        Assert.Equal(("WrongUser", 403, "", served.LinkId, 2, served.SubmissionId, path), (tally.Outcome, tally.StatusCode, tally.UserName, tally.LinkId, tally.Count, (int?)tally.SubmissionId, tally.Path));
        Assert.Single(await app.WithDbAsync(db => db.AuditEntries.ToListAsync()));

        var page = await Pages.GetDocumentAsync(reviewer, detailsUrl);
        var view = Assert.Single(page.QuerySelectorAll("#views tbody tr")).TextContent;
        Assert.Contains(DatabaseSetup.ReviewerEmail, view, StringComparison.Ordinal);
        var refusal = Assert.Single(page.QuerySelectorAll("#refusals tbody tr"));
        Assert.Contains("WrongUser", refusal.TextContent, StringComparison.Ordinal);
        Assert.Contains("anonymous", refusal.TextContent, StringComparison.Ordinal);
        Assert.Equal("2", refusal.QuerySelector(".count")?.TextContent);
    }

    [Fact]
    public async Task Reject_WithoutReason_ShowsError_WithReason_Rejects()
    {
        await using var app = new KycPortalFactory();
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var detailsUrl = await SeededDetailsUrlAsync(app);
        var details = await Pages.GetDocumentAsync(reviewer, detailsUrl);

        using (var refused = await PostDecisionAsync(reviewer, details, detailsUrl, "reject", ""))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var page = await Pages.ParseAsync(refused);
            Assert.Equal("Give the applicant a reason for the rejection.", Pages.FieldError(page, "Decision.Reason"));
            Assert.Equal("Pending", page.QuerySelector("#status")?.TextContent);
        }

        using (var rejected = await PostDecisionAsync(reviewer, details, detailsUrl, "reject", "The selfie is blurred."))
        {
            Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        }

        using var applicant = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        var mine = await Pages.GetDocumentAsync(applicant, "/Kyc");
        Assert.Equal("Rejected", mine.QuerySelector("#status")?.TextContent);
        Assert.Contains("The selfie is blurred.", mine.QuerySelector(".reason")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(mine.QuerySelector("a[href='/Kyc/Submit']"));
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_Returns400()
    {
        await using var app = new KycPortalFactory();
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var detailsUrl = await SeededDetailsUrlAsync(app);
        var id = detailsUrl[(detailsUrl.LastIndexOf('/') + 1)..];

        using var decide = await reviewer.PostAsync($"/Review/Decide/{id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Decision.Verdict"] = "approve",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, decide.StatusCode);

        using var anonymous = app.NewClient();
        using var login = await anonymous.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = DatabaseSetup.ReviewerEmail,
            ["Password"] = DatabaseSetup.DemoPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Equal(KycStatus.Pending, await app.WithDbAsync(db => db.Submissions.Select(s => s.Status).SingleAsync()));
    }

    [Fact]
    public async Task Roles_ApplicantCannotReview_ReviewerCannotSubmit_AnonymousIsSentToLogin()
    {
        await using var app = new KycPortalFactory();
        using var anonymous = app.NewClient();
        using (var response = await anonymous.GetAsync("/Review"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("http://localhost/Account/Login", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        using var applicant = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        using (var response = await applicant.GetAsync(await SeededDetailsUrlAsync(app)))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/AccessDenied", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        using (var response = await reviewer.GetAsync("/Kyc/Submit"))
        {
            Assert.Contains("/Account/AccessDenied", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WrongPassword_ShowsOneGenericMessage()
    {
        await using var app = new KycPortalFactory();
        using var client = app.NewClient();
        var login = await Pages.GetDocumentAsync(client, "/Account/Login");
        using var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = DatabaseSetup.ReviewerEmail,
            ["Password"] = "not-the-password",
            ["__RequestVerificationToken"] = Pages.AntiforgeryToken(login),
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Pages.ParseAsync(response);
        Assert.Contains("Invalid e-mail or password.", page.QuerySelector(".form-errors")?.TextContent, StringComparison.Ordinal);
    }

    internal static async Task<string> SeededDetailsUrlAsync(KycPortalFactory app)
    {
        var id = await app.WithDbAsync(db => db.Submissions.Where(s => s.ApplicantEmail == DatabaseSetup.ApplicantEmail).Select(s => s.Id).SingleAsync());
        return $"/Review/Details/{id}";
    }

    internal static async Task<byte[]> AssertIsImageAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}");
        Assert.StartsWith("image/", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.NoStore == true ? "no-store" : null);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var info = Image.Identify(bytes);
        Assert.NotNull(info);
        Assert.True(info.Width > 0 && info.Height > 0);
        return bytes;
    }

    private static async Task<HttpResponseMessage> PostDecisionAsync(HttpClient client, IDocument details, string detailsUrl, string verdict, string reason)
    {
        var id = detailsUrl[(detailsUrl.LastIndexOf('/') + 1)..];
        return await client.PostAsync($"/Review/Decide/{id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Decision.Verdict"] = verdict,
            ["Decision.Reason"] = reason,
            ["__RequestVerificationToken"] = Pages.AntiforgeryToken(details, "form.decision"),
        }));
    }
}
