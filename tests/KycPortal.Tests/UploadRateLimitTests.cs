using System.Net;
using KycPortal.Data;
using KycPortal.Tests.Infrastructure;

namespace KycPortal.Tests;

/// <summary>Every upload form may cost three decodes: one user posts at most five per ten minutes (the sample's default).</summary>
public sealed class UploadRateLimitTests
{
    [Fact]
    public async Task SixthUploadInTheWindow_Answers429_OtherUsersUnaffected()
    {
        await using var app = new KycPortalFactory(new Dictionary<string, string?>(), sampleRateLimits: true);
        using var eager = await app.SignedInClientAsync(DatabaseSetup.Applicant2Email);
        var form = await Pages.GetDocumentAsync(eager, "/Kyc/Submit");

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using var response = await Pages.PostUploadAsync(eager, form, TestImages.GoodJpeg(), null, null);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], statuses);

        // The limit is per user: another applicant is not slowed by someone else's attempts (the limiter runs
        // before antiforgery, so the 400 of this bare POST shows the limiter let it through).
        using var other = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        using var theirs = await other.PostAsync("/Kyc/Submit", new MultipartFormDataContent());
        Assert.NotEqual(HttpStatusCode.TooManyRequests, theirs.StatusCode);
    }
}
