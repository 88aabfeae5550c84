using System.Diagnostics;
using System.Globalization;
using System.Net;
using KycPortal.Data;
using KycPortal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace KycPortal.Tests;

/// <summary>How long a failed sign-in takes must not say whether the account exists.</summary>
[Collection(MeasuredSerially.Name)]
public sealed class SignInTimingTests(ITestOutputHelper output)
{
    /// <summary>
    /// Wrong passwords for a real account and for an unknown one, interleaved: the medians stay within a factor
    /// of 1.5 of each other. Without an equal amount of work for an unknown account, it answers before any
    /// password hash is computed (tens of times faster). Five attempts per account: an account lockout after
    /// five failures would answer quickly from then on and hide the difference.
    /// </summary>
    [Fact]
    public async Task FailedSignIn_UnknownAccount_TakesAsLongAsAKnownOne()
    {
        await using var app = new KycPortalFactory();
        using var client = app.NewClient();
        var known = new List<double>();
        var unknown = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            foreach (var (email, times) in new[] { (DatabaseSetup.ReviewerEmail, known), ("nobody@kyc.example", unknown) })
            {
                var login = await Pages.GetDocumentAsync(client, "/Account/Login");
                using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Email"] = email,
                    ["Password"] = "wrong-password",
                    ["__RequestVerificationToken"] = Pages.AntiforgeryToken(login),
                });
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/Account/Login", form);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                if (round > 0)
                {
                    times.Add(elapsed);   // the first round warms the JIT and the database
                }
            }
        }

        var knownMedian = Median(known);
        var unknownMedian = Median(unknown);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median failed sign-in: known account {knownMedian:F1} ms, unknown account {unknownMedian:F1} ms"));
        var ratio = unknownMedian / knownMedian;
        Assert.True(ratio is > 1 / 1.5 and < 1.5, string.Create(CultureInfo.InvariantCulture, $"unknown/known = {ratio:F2}"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
