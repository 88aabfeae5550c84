using System.Net;
using KycPortal.Data;
using KycPortal.Tests.Infrastructure;
using SignedStaticFiles.StoreTesting;

namespace KycPortal.Tests;

/// <summary>
/// "KycPortal:Store" = S3 against a real S3-compatible server (s3rver, started by the test): the seed writes the
/// documents and the contract into the bucket, the pages serve them from there (stamped, redacted, single-use),
/// nothing is written to the local folders, and a closed account's objects are deleted.
/// </summary>
public sealed class StoreTests
{
    [Fact]
    public async Task S3Store_ServesTheSeededContractFromTheBucket_AndClosingTheAccountDeletesItsObjects()
    {
        await using var server = await StartS3Async();
        var bucket = await CreateBucketAsync(server);
        await using var app = NewApp(server, bucket);
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var details = await Pages.GetDocumentAsync(reviewer, await KycFlowTests.SeededDetailsUrlAsync(app));
        using (var contract = await reviewer.GetAsync(details.QuerySelector("a#contract")!.GetAttribute("href")!))
        {
            Assert.Equal(HttpStatusCode.OK, contract.StatusCode);
            Assert.True((await contract.Content.ReadAsByteArrayAsync()).AsSpan().StartsWith("%PDF-"u8));
        }

        Assert.Empty(app.ProtectedFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataFolder, "contracts"), "*", SearchOption.AllDirectories));
        var keys = await KeysAsync(server, bucket);
        Assert.Equal(3, keys.Count(k => k.StartsWith("protected/kyc/", StringComparison.Ordinal)));
        Assert.Single(keys, k => k.StartsWith("contracts/kyc/", StringComparison.Ordinal) && k.EndsWith(".pdf", StringComparison.Ordinal));

        using var applicant = await app.SignedInClientAsync(DatabaseSetup.ApplicantEmail);
        var close = await Pages.GetDocumentAsync(applicant, "/Account/Close");
        using (var closed = await applicant.PostAsync("/Account/Close", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Pages.AntiforgeryToken(close, "form#close"),
            ["Password"] = DatabaseSetup.DemoPassword,
        })))
        {
            Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        }

        Assert.Empty(await KeysAsync(server, bucket));
    }

    /// <summary>
    /// The stamped images from the bucket. Fails today in the image package, not the sample: the engine reads the
    /// whole file, then checks for a trailing byte with a synchronous <c>Stream.ReadByte()</c>
    /// (src/SignedStaticFiles.ImageSharp/Engine/ImageVariantEngine.cs, ReadAllAsync), and the object stores' streams
    /// refuse synchronous reads ("Stores are read asynchronously"), so every stamped image of an S3 or Azure folder
    /// answers 503. Seen failing; enabled once the engine reads that byte asynchronously.
    /// </summary>
    [Fact]
    public async Task S3Store_ServesTheStampedImagesFromTheBucket()
    {
        await using var server = await StartS3Async();
        var bucket = await CreateBucketAsync(server);
        await using var app = NewApp(server, bucket);
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var details = await Pages.GetDocumentAsync(reviewer, await KycFlowTests.SeededDetailsUrlAsync(app));
        foreach (var url in Pages.DocumentImageUrls(details))
        {
            await KycFlowTests.AssertIsImageAsync(reviewer, url);
        }
    }

    private static Task<NodeServer> StartS3Async() =>
        NodeServer.StartAsync("s3rver", (port, data) =>
        [
            Path.Combine(AppContext.BaseDirectory, "Infrastructure", "s3rver-host.js"),
            NodeServer.RequireModule("@20minutes/s3rver"),
            port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            data,
        ]);

    private static async Task<string> CreateBucketAsync(NodeServer server)
    {
        var bucket = "kyc" + Guid.NewGuid().ToString("N")[..12];
        using var http = new HttpClient();
        using var created = await http.PutAsync(new Uri(server.Endpoint, bucket), content: null);

        // s3rver rejects the SDK's signature of bucket-level requests; an anonymous PUT creates the bucket.
        Assert.True(created.IsSuccessStatusCode, $"creating the bucket answered {(int)created.StatusCode}");
        return bucket;
    }

    private static KycPortalFactory NewApp(NodeServer server, string bucket) => new(new Dictionary<string, string?>
    {
        ["KycPortal:Store"] = "S3",
        ["KycPortal:S3:ServiceUrl"] = server.Endpoint.ToString(),
        ["KycPortal:S3:Bucket"] = bucket,
        ["KycPortal:S3:AccessKey"] = "S3RVER",
        ["KycPortal:S3:SecretKey"] = "S3RVER",
    });

    /// <summary>The bucket's keys, listed anonymously (s3rver rejects the SDK's signature of bucket-level requests).</summary>
    private static async Task<List<string>> KeysAsync(NodeServer server, string bucket)
    {
        using var http = new HttpClient();
        var xml = System.Xml.Linq.XDocument.Parse(await http.GetStringAsync(new Uri(server.Endpoint, bucket)));
        return xml.Descendants().Where(e => e.Name.LocalName == "Key").Select(e => e.Value).ToList();
    }
}
