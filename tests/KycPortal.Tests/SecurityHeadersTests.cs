using System.Net;
using KycPortal.Data;
using KycPortal.Infrastructure;
using KycPortal.Tests.Infrastructure;

namespace KycPortal.Tests;

/// <summary>Every page carries the Content-Security-Policy, and no page has a script to need it.</summary>
public sealed class SecurityHeadersTests(KycPortalFactory app) : IClassFixture<KycPortalFactory>
{
    [Theory]
    [InlineData("/", null)]
    [InlineData("/Account/Login", null)]
    [InlineData("/Kyc", DatabaseSetup.ApplicantEmail)]
    [InlineData("/Kyc/Submit", DatabaseSetup.Applicant2Email)]
    [InlineData("/Review", DatabaseSetup.ReviewerEmail)]
    [InlineData("/Review/Details/1", DatabaseSetup.ReviewerEmail)]
    [InlineData("/Review/Document/1/front", DatabaseSetup.ReviewerEmail)]
    [InlineData("/Support", DatabaseSetup.SupportEmail)]
    [InlineData("/Support/Details/1", DatabaseSetup.SupportEmail)]
    [InlineData("/Account/Close", DatabaseSetup.ApplicantEmail)]
    public async Task Page_HasContentSecurityPolicy_AndNoScript(string url, string? email)
    {
        using var client = email is null ? app.NewClient() : await app.SignedInClientAsync(email);
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SecurityHeadersExtensions.ContentSecurityPolicy, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("script-src 'none'", SecurityHeadersExtensions.ContentSecurityPolicy, StringComparison.Ordinal);

        var page = await Pages.ParseAsync(response);
        Assert.Empty(page.QuerySelectorAll("script"));
        Assert.DoesNotContain(page.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(page.QuerySelectorAll("[style]"));
        Assert.Empty(page.QuerySelectorAll("style"));
    }

}
