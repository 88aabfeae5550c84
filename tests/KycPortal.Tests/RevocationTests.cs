using System.Net;
using KycPortal.Data;
using KycPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KycPortal.Tests;

/// <summary>
/// Withdrawing links: a reviewer revokes everything issued for a submission (both folders), an applicant who
/// closes their account has every link revoked, every session ended and every file deleted. An old link answers
/// 410 "Link revoked"; a link minted afterwards works.
/// </summary>
public sealed class RevocationTests
{
    [Fact]
    public async Task ReviewerRevokesASubmission_OldLinks410LinkRevoked_NewLinksWork_AndTheAuditSaysSo()
    {
        await using var app = new KycPortalFactory();
        var id = await SupportTests.SeededIdAsync(app);
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        using var applicant = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        using var support = await app.SignedInClientAsync(DatabaseSetup.SupportEmail);

        var details = await Pages.GetDocumentAsync(reviewer, $"/Review/Details/{id}");
        var oldReviewerImage = Pages.DocumentImageUrls(details)[0];
        var oldApplicantImage = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(applicant, "/Kyc"))[0];
        var oldContract = (await Pages.GetDocumentAsync(applicant, "/Kyc")).QuerySelector("a#contract")!.GetAttribute("href")!;
        var oldSupportImage = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(support, $"/Support/Details/{id}"))[0];
        await KycFlowTests.AssertIsImageAsync(reviewer, oldReviewerImage);

        using (var revoked = await reviewer.PostAsync($"/Review/Revoke/{id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Pages.AntiforgeryToken(details, "form#revoke"),
        })))
        {
            Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        }

        foreach (var (client, url) in new[] { (reviewer, oldReviewerImage), (applicant, oldApplicantImage), (applicant, oldContract), (support, oldSupportImage) })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
            Assert.Contains("Link revoked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // New links work.
        var after = await Pages.GetDocumentAsync(reviewer, $"/Review/Details/{id}");
        await KycFlowTests.AssertIsImageAsync(reviewer, Pages.DocumentImageUrls(after)[0]);
        var newContract = (await Pages.GetDocumentAsync(applicant, "/Kyc")).QuerySelector("a#contract")!.GetAttribute("href")!;
        using (var contract = await applicant.GetAsync(newContract))
        {
            Assert.Equal(HttpStatusCode.OK, contract.StatusCode);
        }

        // The audit: who revoked, when; and the refused old links are counted as revoked.
        var row = after.QuerySelector("#revocations tbody tr")?.TextContent;
        Assert.NotNull(row);
        Assert.Contains(DatabaseSetup.ReviewerEmail, row, StringComparison.Ordinal);
        Assert.Contains("Revoked", after.QuerySelector("#refusals")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplicantClosesTheAccount_LinksRevoked_SessionsEnded_FilesDeleted()
    {
        await using var app = new KycPortalFactory();
        var id = await SupportTests.SeededIdAsync(app);
        var key = await app.WithDbAsync(db => db.Submissions.Where(s => s.Id == id).Select(s => s.StorageKey).SingleAsync());
        using var applicant = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        using var otherSession = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var page = await Pages.GetDocumentAsync(applicant, "/Kyc");
        var applicantImage = Pages.DocumentImageUrls(page)[0];
        var reviewerImage = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(reviewer, $"/Review/Details/{id}"))[0];
        await KycFlowTests.AssertIsImageAsync(applicant, applicantImage);
        Assert.Contains(app.ProtectedFiles(), f => f.Contains(key, StringComparison.Ordinal));

        var close = await Pages.GetDocumentAsync(applicant, "/Account/Close");
        using (var closed = await applicant.PostAsync("/Account/Close", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Pages.AntiforgeryToken(close, "form#close"),
            ["Password"] = DatabaseSetup.DemoPassword,
        })))
        {
            Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        }

        // The applicant's link, whoever holds it: revoked (checked before the user, so a copy says so too).
        using (var old = await applicant.GetAsync(applicantImage))
        {
            Assert.Equal(HttpStatusCode.Gone, old.StatusCode);
            Assert.Contains("Link revoked", await old.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The reviewer's link to the applicant's documents too (a path revocation), and the files are gone.
        using (var old = await reviewer.GetAsync(reviewerImage))
        {
            Assert.Equal(HttpStatusCode.Gone, old.StatusCode);
        }

        Assert.DoesNotContain(app.ProtectedFiles(), f => f.Contains(key, StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(app.DataFolder, "contracts", "kyc", key)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Submissions.CountAsync(s => s.Id == id)));

        // Every session ended: the other browser is signed out; the account is gone.
        using (var other = await otherSession.GetAsync("/Kyc"))
        {
            Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
            Assert.Contains("/Account/Login", other.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        using var again = app.NewClient();
        using var signIn = await Pages.PostSignInAsync(again, DatabaseSetup.ApplicantEmail, DatabaseSetup.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);   // the sign-in page again, with its one message
        Assert.Equal(0, await app.WithDbAsync(db => db.UserSessions.CountAsync(s => s.UserId != "" && db.Users.All(u => u.Id != s.UserId))));
    }

    /// <summary>
    /// The package keeps revocations in the memory of the process; the sample keeps its own record of them (the
    /// audit rows) and applies them again at start, before serving: a link revoked before a restart stays revoked
    /// after it, while it could still be alive. Without that, the restarted app served it again.
    /// </summary>
    [Fact]
    public async Task ARevokedLink_StaysRevokedAcrossARestart()
    {
        var dataFolder = KycPortalFactory.NewDataFolder();
        try
        {
            string oldLink;
            await using (var first = new KycPortalFactory(new Dictionary<string, string?>(), dataFolder: dataFolder))
            {
                var id = await SupportTests.SeededIdAsync(first);
                using var reviewer = await first.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
                var details = await Pages.GetDocumentAsync(reviewer, $"/Review/Details/{id}");
                oldLink = Pages.DocumentImageUrls(details)[0];
                using var revoked = await reviewer.PostAsync($"/Review/Revoke/{id}", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = Pages.AntiforgeryToken(details, "form#revoke"),
                }));
                Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
            }

            await using var second = new KycPortalFactory(new Dictionary<string, string?>(), dataFolder: dataFolder);
            using var again = await second.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
            using var response = await again.GetAsync(oldLink);
            Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
            Assert.Contains("Link revoked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // And the restarted app's own new links work.
            var id2 = await SupportTests.SeededIdAsync(second);
            await KycFlowTests.AssertIsImageAsync(again, Pages.DocumentImageUrls(await Pages.GetDocumentAsync(again, $"/Review/Details/{id2}"))[0]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataFolder, recursive: true);
        }
    }
}
