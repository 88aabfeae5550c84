using System.Net;
using KycPortal.Data;
using KycPortal.Tests.Infrastructure;

namespace KycPortal.Tests;

public sealed class LinkLifetimeTests
{
    /// <summary>
    /// The applicant's page mints links with the configured default lifetime (the reviewer's page asks
    /// for two minutes explicitly). One second, set through configuration: served at once, 410 after.
    /// </summary>
    [Fact]
    public async Task OneSecondLifetimeFromConfiguration_LinkAnswers410AfterIt()
    {
        await using var app = new KycPortalFactory(new Dictionary<string, string?>
        {
            ["SignedStaticFiles:DefaultLifetime"] = "00:00:01",
        });
        using var applicant = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        var urls = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(applicant, "/Kyc"));
        await KycFlowTests.AssertIsImageAsync(applicant, urls[0]);

        await Task.Delay(TimeSpan.FromMilliseconds(1_300));
        using var response = await applicant.GetAsync(urls[1]);
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        // A fresh page mints fresh links.
        var fresh = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(applicant, "/Kyc"));
        await KycFlowTests.AssertIsImageAsync(applicant, fresh[1]);
    }
}
