using KycPortal.Data;
using KycPortal.Tests.Infrastructure;

namespace KycPortal.Tests;

/// <summary>
/// A token in a log file is a working link for whoever reads the logs. The sample's appsettings.json
/// raises <c>Microsoft.AspNetCore.Hosting.Diagnostics</c> to Warning so the request lines (which carry the
/// query string) are not written; the package itself never logs a token.
/// </summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task ServingAndRefusingImages_NoTokenReachesTheLogs()
    {
        await using var app = new KycPortalFactory(new Dictionary<string, string?>(), captureLogs: true);
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var urls = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(reviewer, await KycFlowTests.SeededDetailsUrlAsync(app)));
        await KycFlowTests.AssertIsImageAsync(reviewer, urls[0]);
        using var anonymous = app.NewClient();
        using (await anonymous.GetAsync(urls[1]))
        {
        }

        var lines = app.CapturedLogs!.Lines;
        Assert.Contains(lines, l => l.Contains("SignedStaticFiles", StringComparison.Ordinal) && l.Contains("/protected/kyc/", StringComparison.Ordinal));
        foreach (var url in urls)
        {
            var token = url[(url.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..];
            Assert.DoesNotContain(lines, l => l.Contains(token[..24], StringComparison.Ordinal));
        }

        Assert.DoesNotContain(lines, l => l.Contains("token=", StringComparison.OrdinalIgnoreCase));
    }
}
