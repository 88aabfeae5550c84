using KycPortal.Data;
using KycPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KycPortal.Tests;

/// <summary>
/// A real browser against the real server: Debian's Chromium (never a downloaded browser), driven by
/// Playwright over the sample on Kestrel at 127.0.0.1 on a free port. It proves what no in-process test
/// can: the signed links load as images in a browser under the pages' Content-Security-Policy, with the
/// auth cookie the browser sends, and stop working once the browser signs out.
/// </summary>
public sealed class BrowserTests(ITestOutputHelper output)
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public async Task Reviewer_SeesEverySeededImage_ThenSignsOut_AndTheSameImageUrlAnswers403()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: test.sh installs Debian's chromium package.");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Step(string name) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1}s {name}");
        await using var app = new KycPortalFactory();
        var baseUrl = app.StartKestrel().ToString().TrimEnd('/');
        Assert.StartsWith("http://127.0.0.1:", baseUrl, StringComparison.Ordinal);

        Step("server started");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 1000 },
        });
        // Generous: the CI machine may be busy; a slow step must not read as a failure.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add($"{message.Text} ({message.Location})");
            }
        };

        Step("browser launched");
        // Sign in as the reviewer through the login form.
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Email", DatabaseSetup.ReviewerEmail);
        await page.FillAsync("#Password", DatabaseSetup.DemoPassword);
        await page.ClickAsync("form button[type=submit]");
        await page.WaitForURLAsync("**/Review");

        Step("signed in");
        // Open the seeded submission from the queue.
        await page.ClickAsync($"#pending tr:has-text('{DatabaseSetup.ApplicantEmail}') a");
        await page.WaitForURLAsync("**/Review/Details/*");
        await page.WaitForLoadStateAsync(LoadState.Load);

        Step("details page loaded");
        // Every image loaded: complete with a natural width, i.e. the browser decoded image bytes.
        var images = page.Locator(".documents img");
        Assert.Equal(3, await images.CountAsync());
        var loaded = await images.EvaluateAllAsync<int[]>("imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)");
        Assert.All(loaded, width => Assert.True(width > 0, "an image did not load"));
        var imageUrl = await images.First.GetAttributeAsync("src");
        Assert.NotNull(imageUrl);
        Assert.Contains("?token=", imageUrl, StringComparison.Ordinal);
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));   // no CSP violation, no failed load

        Step("images checked");
        // Five views by the reviewer from 127.0.0.1, in the audit trail: the three documents and the two sides of
        // the card in the preview of what support sees. The browser may hold all of an image's bytes a moment
        // before the server's audit hook has run.
        var served = await Eventually.ReadAsync(() => app.WithDbAsync(db => db.AuditEntries.Where(a => a.Outcome == "Served").ToListAsync()), rows => rows.Count >= 5);
        Assert.Equal(5, served.Count);
        Assert.All(served, a => Assert.Equal((DatabaseSetup.ReviewerEmail, "127.0.0.1"), (a.UserName, a.ClientIp)));

        Step("audit checked");

        // Reloaded, the page lists those five views in its audit trail (and mints fresh links).
        await page.ReloadAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        var auditRows = await page.Locator("#views tbody tr").AllInnerTextsAsync();
        Assert.Equal(5, auditRows.Count);
        Assert.All(auditRows, r => Assert.Contains("127.0.0.1", r, StringComparison.Ordinal));
        Assert.All(await images.EvaluateAllAsync<int[]>("imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)"), width => Assert.True(width > 0));

        // The screenshot docs/sample.md shows (docs/images/kycportal-review.png).
        var shot = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png });
        Assert.True(shot.Length > 10_000);
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "kycportal-review.png"), shot);
        if (Environment.GetEnvironmentVariable("KYCPORTAL_UPDATE_SCREENSHOT") == "1" && FindRepositoryRoot() is { } root)
        {
            await File.WriteAllBytesAsync(Path.Combine(root, "docs", "images", "kycportal-review.png"), shot);
        }

        // Full size, without a script: the caption's link opens the document's own page, whose image is shown
        // at the stored image's width (the seeded card is 1000 pixels wide), stamped like the thumbnail.
        await page.ClickAsync(".documents figure:first-child figcaption a");
        await page.WaitForURLAsync("**/Review/Document/*/front");
        await page.WaitForLoadStateAsync(LoadState.Load);
        var full = await page.Locator("#document").EvaluateAsync<int[]>("i => [i.complete ? i.naturalWidth : 0, i.clientWidth]");
        Assert.Equal([1000, 1000], full);
        await File.WriteAllBytesAsync(
            Path.Combine(AppContext.BaseDirectory, "kycportal-document.png"),
            await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png }));
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
        Step("full-size page checked");

        // Sign out; the very same link now answers 403 in the same browser.
        await page.ClickAsync("header form button[type=submit]");
        await page.WaitForURLAsync(baseUrl + "/");
        var response = await page.GotoAsync(imageUrl);
        Assert.NotNull(response);
        Assert.Equal(403, response.Status);
        // A browser navigation gets the package's small HTML page (never the path or the token in it).
        Assert.Equal("text/html", (await response.AllHeadersAsync())["content-type"].Split(';')[0]);
        Assert.DoesNotContain("token", await response.TextAsync(), StringComparison.OrdinalIgnoreCase);
        Step("signed out, link refused");
        var refused = await Eventually.ReadAsync(() => app.WithDbAsync(db => db.RefusalTallies.ToListAsync()), rows => rows.Count >= 1);
        var row = Assert.Single(refused);
        Assert.Equal(("WrongUser", 403, "", 1), (row.Outcome, row.StatusCode, row.UserName, row.Count));
    }

    /// <summary>
    /// The walk of docs/sample.md in a real browser, one browser context (cookie jar) per person: the applicant sees
    /// their copies and downloads the agreement once (a real download; the link then answers 410); the reviewer
    /// sees the documents; support sees the card with the document number and MRZ masked; the reviewer revokes
    /// every link of the submission, and the link the reviewer's page had loaded now answers 410 "Link revoked"
    /// while the reloaded page's new links load. Writes docs/images/kycportal-support-redacted.png when asked.
    /// </summary>
    [Fact]
    public async Task Walk_Applicant_Reviewer_Support_Revoke_TheOldLinkAnswers410()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: test.sh installs Debian's chromium package.");
        await using var app = new KycPortalFactory();
        var baseUrl = app.StartKestrel().ToString().TrimEnd('/');
        var id = await SupportTests.SeededIdAsync(app);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

        // The applicant: three stamped copies, and the agreement as a download that works once.
        var (applicant, applicantPage) = await SignInAsync(browser, baseUrl, DatabaseSetup.ApplicantEmail, "**/Kyc");
        await using (applicant)
        {
            await AssertImagesLoadedAsync(applicantPage.Locator(".documents img"), 3);
            var contractUrl = await applicantPage.Locator("a#contract").GetAttributeAsync("href");
            var download = await applicantPage.RunAndWaitForDownloadAsync(() => applicantPage.ClickAsync("a#contract"));
            Assert.Equal("kyc-agreement.pdf", download.SuggestedFilename);
            var saved = Path.Combine(Path.GetTempPath(), "kycportal-download-" + Guid.NewGuid().ToString("N") + ".pdf");
            await download.SaveAsAsync(saved);
            try
            {
                Assert.True((await File.ReadAllBytesAsync(saved)).AsSpan().StartsWith("%PDF-"u8));
            }
            finally
            {
                File.Delete(saved);
            }

            var again = await applicant.APIRequest.GetAsync(contractUrl!);
            Assert.Equal(410, again.Status);
        }

        // The reviewer: every document loads; keep the URL of the first one.
        var (reviewer, reviewerPage) = await SignInAsync(browser, baseUrl, DatabaseSetup.ReviewerEmail, "**/Review");
        await using (reviewer)
        {
            await reviewerPage.GotoAsync($"/Review/Details/{id}");
            await AssertImagesLoadedAsync(reviewerPage.Locator(".documents img"), 3);
            var oldLink = await reviewerPage.Locator(".documents img").First.GetAttributeAsync("src");

            // Support: the card's two sides, document number and MRZ masked.
            var (support, supportPage) = await SignInAsync(browser, baseUrl, DatabaseSetup.SupportEmail, "**/Support");
            await using (support)
            {
                await supportPage.GotoAsync($"/Support/Details/{id}");
                await AssertImagesLoadedAsync(supportPage.Locator(".documents img"), 2);
                var shot = await supportPage.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png });
                await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "kycportal-support-redacted.png"), shot);
                if (Environment.GetEnvironmentVariable("KYCPORTAL_UPDATE_SCREENSHOT") == "1" && FindRepositoryRoot() is { } root)
                {
                    await File.WriteAllBytesAsync(Path.Combine(root, "docs", "images", "kycportal-support-redacted.png"), shot);
                }

                var reviewerPageDenied = await supportPage.GotoAsync($"/Review/Details/{id}");
                Assert.Equal(403, reviewerPageDenied!.Status);
            }

            // The reviewer revokes every link of the submission: the old link answers 410 "Link revoked", the
            // reloaded page's new links load.
            await reviewerPage.ClickAsync("form#revoke button[type=submit]");
            await reviewerPage.WaitForURLAsync($"**/Review/Details/{id}");
            await AssertImagesLoadedAsync(reviewerPage.Locator(".documents img"), 3);
            Assert.Contains(DatabaseSetup.ReviewerEmail, await reviewerPage.Locator("#revocations tbody").InnerTextAsync(), StringComparison.Ordinal);
            var revoked = await reviewerPage.GotoAsync(oldLink!);
            Assert.Equal(410, revoked!.Status);
            Assert.Contains("Link revoked", await revoked.TextAsync(), StringComparison.Ordinal);
        }
    }

    private static async Task<(IBrowserContext Context, IPage Page)> SignInAsync(IBrowser browser, string baseUrl, string email, string landing)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 1000 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Email", email);
        await page.FillAsync("#Password", DatabaseSetup.DemoPassword);
        await page.ClickAsync("form button[type=submit]");
        await page.WaitForURLAsync(landing);
        return (context, page);
    }

    private static async Task AssertImagesLoadedAsync(ILocator images, int count)
    {
        await images.First.Page.WaitForLoadStateAsync(LoadState.Load);
        Assert.Equal(count, await images.CountAsync());
        var widths = await images.EvaluateAllAsync<int[]>("imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)");
        Assert.All(widths, width => Assert.True(width > 0, "an image did not load"));
    }

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SignedStaticFiles.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
