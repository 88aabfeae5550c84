using System.Net;
using KycPortal.Data;
using KycPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace KycPortal.Tests;

/// <summary>How the app is deployed: HTTPS outside Development, the demo seed and its accounts, the database it starts on.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task OutsideDevelopment_PlainHttpIsRedirected_AndHttpsAnswersCarryHsts()
    {
        await using var app = new KycPortalFactory(new Dictionary<string, string?> { ["https_port"] = "443" }, environment: "Production");

        using var plain = app.CreateDefaultClient(new Uri("http://kyc.example"));
        using (var response = await plain.GetAsync("/Account/Login"))
        {
            Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
            Assert.Equal("https://kyc.example/Account/Login", response.Headers.Location?.ToString());
            Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        }

        using var secure = app.CreateDefaultClient(new Uri("https://kyc.example"));
        using (var response = await secure.GetAsync("/Account/Login"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("max-age=", string.Join(",", response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task InDevelopment_PlainHttpIsServed_WithoutHsts()
    {
        await using var app = new KycPortalFactory();
        using var client = app.NewClient();
        using var response = await client.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task SignInPage_ListsTheDemoAccounts_OnlyWhenTheDemoIsSeeded()
    {
        await using (var demo = new KycPortalFactory())
        {
            var page = await Pages.GetDocumentAsync(demo.NewClient(), "/Account/Login");
            var listed = page.QuerySelector("#demo-accounts")?.TextContent ?? "";
            Assert.Contains(DatabaseSetup.ApplicantEmail, listed, StringComparison.Ordinal);
            Assert.Contains(DatabaseSetup.Applicant2Email, listed, StringComparison.Ordinal);
            Assert.Contains(DatabaseSetup.ReviewerEmail, listed, StringComparison.Ordinal);
            Assert.Contains(DatabaseSetup.DemoPassword, listed, StringComparison.Ordinal);
        }

        await using var production = new KycPortalFactory(new Dictionary<string, string?> { ["https_port"] = "443" }, environment: "Production");
        var real = await Pages.GetDocumentAsync(production.CreateDefaultClient(new Uri("https://kyc.example")), "/Account/Login");
        Assert.Null(real.QuerySelector("#demo-accounts"));
        Assert.DoesNotContain(DatabaseSetup.DemoPassword, real.Body!.TextContent, StringComparison.Ordinal);
    }

    /// <summary>
    /// A clone that ran an older version of the sample has a database without today's tables, and EnsureCreated
    /// leaves an existing database alone. The demo database is recreated (the README's run command keeps
    /// working); a database that is not a demo stops the app with the explanation, untouched.
    /// </summary>
    [Fact]
    public async Task DatabaseOfAnOlderSchema_DemoIsRecreated_OtherwiseTheAppStopsAndSaysWhy()
    {
        var folder = KycPortalFactory.NewDataFolder();
        try
        {
            await using (var first = new KycPortalFactory(new Dictionary<string, string?>(), dataFolder: folder))
            {
                using var client = await first.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
            }

            MakeOlder(folder);
            await using (var production = new KycPortalFactory(new Dictionary<string, string?>(), environment: "Production", dataFolder: folder))
            {
                var error = Assert.Throws<InvalidOperationException>(() => production.Server);
                Assert.Contains("EnsureCreated never migrates", error.Message, StringComparison.Ordinal);
            }

            Assert.True(File.Exists(Path.Combine(folder, "kyc.db")));
            await using (var demo = new KycPortalFactory(new Dictionary<string, string?>(), dataFolder: folder))
            {
                using var client = await demo.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
                await Pages.GetDocumentAsync(client, "/Review/Details/1");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>What an older version left: a database without the sessions table and no schema fingerprint.</summary>
    private static void MakeOlder(string folder)
    {
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "kyc.db")};Pooling=False"))
        {
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE UserSessions";
            drop.ExecuteNonQuery();
        }

        File.Delete(Path.Combine(folder, "kyc.db.schema"));
    }
}
