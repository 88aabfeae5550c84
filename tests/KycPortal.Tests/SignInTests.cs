using System.Globalization;
using System.Net;
using KycPortal.Data;
using KycPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace KycPortal.Tests;

/// <summary>
/// Sign-in as an attacker probes it: does the answer say which accounts exist (by message or by time), can a
/// stranger lock a reviewer out, and does "Sign out" end the session for a copy of the cookie too.
/// </summary>
public sealed class SignInTests
{
    private const string NoSuchAccount = "nobody@kyc.example";

    /// <summary>
    /// Six wrong passwords for an account that exists and six for one that does not, each from its own client
    /// address (under the per-client limit): every answer is the same page with the same message. An account
    /// lockout would answer the sixth attempt on the real account differently.
    /// </summary>
    [Fact]
    public async Task FailedSignIns_KnownAndUnknownAccount_GetTheSameAnswer()
    {
        await using var app = new KycPortalFactory(new Dictionary<string, string?>(), sampleRateLimits: true);
        app.StartKestrel();
        using var known = app.NewClientFrom(IPAddress.Parse("127.0.0.2"));
        using var unknown = app.NewClientFrom(IPAddress.Parse("127.0.0.3"));

        var answers = new List<(string Account, int Status, string Message)>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            foreach (var (client, email) in new[] { (known, DatabaseSetup.ReviewerEmail), (unknown, NoSuchAccount) })
            {
                using var response = await Pages.PostSignInAsync(client, email, "wrong-password-" + attempt.ToString(CultureInfo.InvariantCulture));
                var page = await Pages.ParseAsync(response);
                answers.Add((email, (int)response.StatusCode, page.QuerySelector(".form-errors")?.TextContent.Trim() ?? "(no message)"));
            }
        }

        Assert.All(answers, a => Assert.Equal((200, "Invalid e-mail or password."), (a.Status, a.Message)));
    }

    /// <summary>
    /// A stranger hammering the reviewer's account from one address is throttled (429 with Retry-After); the
    /// reviewer, from another address, still signs in: there is no account lockout for anyone to trigger.
    /// </summary>
    [Fact]
    public async Task Attacker_IsThrottledPerClient_ReviewerStillSignsIn()
    {
        await using var app = new KycPortalFactory(new Dictionary<string, string?>(), sampleRateLimits: true);
        app.StartKestrel();
        using var attacker = app.NewClientFrom(IPAddress.Parse("127.0.0.2"));

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 15; attempt++)
        {
            using var response = await Pages.PostSignInAsync(attacker, DatabaseSetup.ReviewerEmail, "guess-" + attempt.ToString(CultureInfo.InvariantCulture));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.DoesNotContain(HttpStatusCode.Redirect, statuses);

        using var reviewer = app.NewClientFrom(IPAddress.Parse("127.0.0.1"));
        using var signIn = await Pages.PostSignInAsync(reviewer, DatabaseSetup.ReviewerEmail, DatabaseSetup.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/Review", signIn.Headers.Location?.OriginalString);
    }

    /// <summary>
    /// The cookie as a thief would copy it while the reviewer is signed in: it opens the review queue until
    /// the reviewer signs out, and not one request longer.
    /// </summary>
    [Fact]
    public async Task SessionCookieCopiedBeforeSignOut_IsRefusedRightAfter()
    {
        await using var app = new KycPortalFactory();
        var jar = new CookieContainer();
        using var browser = app.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(jar));
        await Pages.SignInAsync(browser, DatabaseSetup.ReviewerEmail, DatabaseSetup.DemoPassword);
        var copied = jar.GetCookieHeader(new Uri("http://localhost/"));
        Assert.Contains("KycPortal.Auth=", copied, StringComparison.Ordinal);

        using var thief = app.CreateDefaultClient(new Uri("http://localhost"));
        thief.DefaultRequestHeaders.Add("Cookie", copied);
        using (var before = await thief.GetAsync("/Review"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var queue = await Pages.GetDocumentAsync(browser, "/Review");
        using (var signOut = await browser.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Pages.AntiforgeryToken(queue, "header form"),
        })))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        using var after = await thief.GetAsync("/Review");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("http://localhost/Account/Login", after.Headers.Location?.ToString(), StringComparison.Ordinal);
    }
}
