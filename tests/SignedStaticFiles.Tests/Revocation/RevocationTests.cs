using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Revocation;

/// <summary>
/// T16 (docs/security-model.md) on one node, over HTTP: each kind of revocation refuses what it names with 410 "Link revoked" and
/// nothing else; links minted after the call returned work; the cache of validated tokens does not delay it.
/// </summary>
public sealed class RevocationTests
{
    private sealed class Node : IAsyncDisposable
    {
        public required SignedHost Host { get; init; }
        public required FakeLogCollector Logs { get; init; }
        public List<Reported> Events { get; } = [];
        public ISignedUrlRevoker Revoker => Host.Services.GetRequiredService<ISignedUrlRevoker>();

        public string Mint(string path, string? user = null) =>
            Host.Generator.GetSignedUrl(path, new SignedUrlOptions { UserId = user });

        public async Task<HttpResponseMessage> GetAsync(string url, string? user = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (user is not null)
            {
                request.Headers.Add(HeaderAuthentication.Header, user);
            }

            return await Host.Client.SendAsync(request);
        }

        public async Task<HttpStatusCode> StatusAsync(string url, string? user = null) => (await GetAsync(url, user)).StatusCode;

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }

    /// <summary>What an event reported, read while the request is live.</summary>
    private sealed record Reported(SignedFileOutcome Outcome, int StatusCode, string? LinkId);

    /// <summary>Two folders (<c>/protected</c> and <c>/contracts</c>), header authentication, events and logs recorded.</summary>
    private static async Task<Node> StartAsync()
    {
        var contentRoot = SignedHost.NewContentRoot();
        Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "contracts"));
        var logs = new FakeLogCollector();
        List<Reported>? events = null;
        var host = await SignedHost.StartAsync(
            o =>
            {
                o.Events.OnServed = e => { events!.Add(new(e.Outcome, e.StatusCode, e.LinkId)); return Task.CompletedTask; };
                o.Events.OnRejected = e => { events!.Add(new(e.Outcome, e.StatusCode, e.LinkId)); return Task.CompletedTask; };
            },
            builder: b =>
            {
                b.Services.AddSignedStaticFiles("contracts", o =>
                {
                    o.RequestPath = "/contracts";
                    o.RootPath = "App_Data/contracts";
                });
                b.Services.AddAuthentication(HeaderAuthentication.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
                b.Logging.SetMinimumLevel(LogLevel.Trace);
                b.Logging.AddProvider(new FakeLoggerProvider(logs));
            },
            contentRoot: contentRoot);
        var node = new Node { Host = host, Logs = logs };
        events = node.Events;
        foreach (var file in new[] { "kyc/42/front.txt", "kyc/42/back.txt", "kyc/420/front.txt", "kyc/42.txt", "kyc/4/front.txt", "other.txt" })
        {
            host.WriteFile(file, file);
        }

        File.WriteAllText(Path.Combine(contentRoot, "App_Data", "contracts", "c1.txt"), "contract");
        return node;
    }

    [Fact]
    public async Task RevokedLink_Answers410LinkRevoked_ProblemJson_OutcomeRevoked_LoggedAndReported()
    {
        await using var node = await StartAsync();
        var url = node.Mint("/protected/kyc/42/front.txt");
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(url));
        var linkId = node.Events[^1].LinkId!;

        await node.Revoker.RevokeLinkAsync(linkId);
        var refused = await node.GetAsync(url);

        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("Link revoked", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(410, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(refused.Headers.CacheControl is { NoStore: true, Private: true });

        var reported = node.Events[^1];
        Assert.Equal((SignedFileOutcome.Revoked, 410, linkId), (reported.Outcome, reported.StatusCode, reported.LinkId));
        var logs = node.Logs.GetSnapshot();
        Assert.Contains(logs, r => r.Id.Id == 30 && r.Message.Contains(linkId, StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Id.Id == 2 && r.Message.Contains("Revoked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RevokeLink_OnlyThatLink_OtherLinksToTheSameFileWork()
    {
        await using var node = await StartAsync();
        var first = node.Mint("/protected/kyc/42/front.txt");
        var second = node.Mint("/protected/kyc/42/front.txt");
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(first));

        await node.Revoker.RevokeLinkAsync(node.Events[^1].LinkId!);

        Assert.Equal(HttpStatusCode.Gone, await node.StatusAsync(first));
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(second));
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(node.Mint("/protected/kyc/42/front.txt")));
    }

    [Fact]
    public async Task RevokeUser_EveryLinkBoundToThem_InEveryFolder_OtherUsersAndUnboundLinksWork()
    {
        await using var node = await StartAsync();
        var aliceFront = node.Mint("/protected/kyc/42/front.txt", "alice");
        var aliceContract = node.Mint("/contracts/c1.txt", "alice");
        var bob = node.Mint("/protected/kyc/42/front.txt", "bob");
        var unbound = node.Mint("/protected/kyc/42/front.txt");
        var aliceUpper = node.Mint("/protected/kyc/42/front.txt", "Alice");

        await node.Revoker.RevokeUserAsync("alice");

        Assert.Equal(HttpStatusCode.Gone, await node.StatusAsync(aliceFront, "alice"));
        Assert.Equal(HttpStatusCode.Gone, await node.StatusAsync(aliceContract, "alice"));
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(bob, "bob"));
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(unbound));
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(aliceUpper, "Alice"));

        // Links minted for alice after the call returned work: access can be given again.
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(node.Mint("/protected/kyc/42/front.txt", "alice"), "alice"));
    }

    /// <summary>The revocation check runs before the user check: a stranger holding a revoked link learns nothing more than "revoked".</summary>
    [Fact]
    public async Task RevokedBoundLink_AskedByAnotherUser_Answers410Revoked()
    {
        await using var node = await StartAsync();
        var url = node.Mint("/protected/kyc/42/front.txt", "alice");
        await node.Revoker.RevokeUserAsync("alice");

        Assert.Equal(HttpStatusCode.Gone, await node.StatusAsync(url, "mallory"));
        Assert.Equal(SignedFileOutcome.Revoked, node.Events[^1].Outcome);
    }

    [Fact]
    public async Task RevokePath_File_OnlyThatFile()
    {
        await using var node = await StartAsync();
        var front = node.Mint("/protected/kyc/42/front.txt");
        var back = node.Mint("/protected/kyc/42/back.txt");

        await node.Revoker.RevokePathAsync("/protected/kyc/42/front.txt");

        Assert.Equal(HttpStatusCode.Gone, await node.StatusAsync(front));
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(back));
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(node.Mint("/protected/kyc/42/front.txt")));
    }

    [Theory]
    [InlineData("/protected/kyc/42")]
    [InlineData("/protected/kyc/42/")]
    [InlineData("~/protected/kyc/42")]
    [InlineData("/Protected/KYC/42")]
    public async Task RevokePath_Folder_EverythingBelow_NeverASiblingWithTheSamePrefix(string revoked)
    {
        await using var node = await StartAsync();
        var below = new[] { "/protected/kyc/42/front.txt", "/protected/kyc/42/back.txt" }.Select(p => node.Mint(p)).ToArray();
        var siblings = new[] { "/protected/kyc/420/front.txt", "/protected/kyc/42.txt", "/protected/kyc/4/front.txt", "/protected/other.txt", "/contracts/c1.txt" }
            .Select(p => node.Mint(p)).ToArray();

        await node.Revoker.RevokePathAsync(revoked);

        foreach (var url in below)
        {
            Assert.Equal(HttpStatusCode.Gone, await node.StatusAsync(url));
        }

        foreach (var url in siblings)
        {
            Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(url));
        }
    }

    [Fact]
    public async Task RevokePath_WholeFolder_ThatFolderOnly()
    {
        await using var node = await StartAsync();
        var kyc = node.Mint("/protected/kyc/42/front.txt");
        var contract = node.Mint("/contracts/c1.txt");

        await node.Revoker.RevokePathAsync("/protected");

        Assert.Equal(HttpStatusCode.Gone, await node.StatusAsync(kyc));
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(contract));
    }

    [Fact]
    public async Task RevokeAll_EveryLinkOfEveryFolder_LinksMintedAfterWork()
    {
        await using var node = await StartAsync();
        var before = new[] { node.Mint("/protected/kyc/42/front.txt"), node.Mint("/contracts/c1.txt"), node.Mint("/protected/other.txt", "bob") };

        await node.Revoker.RevokeAllAsync();

        Assert.Equal(HttpStatusCode.Gone, await node.StatusAsync(before[0]));
        Assert.Equal(HttpStatusCode.Gone, await node.StatusAsync(before[1]));
        Assert.Equal(HttpStatusCode.Gone, await node.StatusAsync(before[2], "bob"));
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(node.Mint("/protected/kyc/42/front.txt")));
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(node.Mint("/contracts/c1.txt")));
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(node.Mint("/protected/other.txt", "bob"), "bob"));
    }

    /// <summary>A link fetched twice is remembered by the cache of validated tokens; a revocation still applies to the very next request.</summary>
    [Fact]
    public async Task CachedLink_RevokedBetweenTwoRequests_NextRequestIs410()
    {
        await using var node = await StartAsync();
        var url = node.Mint("/protected/kyc/42/front.txt");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await node.StatusAsync(url));
        }

        await node.Revoker.RevokePathAsync("/protected/kyc/42/front.txt");

        Assert.Equal(HttpStatusCode.Gone, await node.StatusAsync(url));
    }

    /// <summary>Expiry is judged first: an expired link that was also revoked says "expired" (nothing about it changed by revoking).</summary>
    [Fact]
    public async Task ExpiredAndRevoked_AnswersExpired()
    {
        await using var node = await StartAsync();
        var url = node.Host.Generator.GetSignedUrl("/protected/other.txt", TimeSpan.FromSeconds(1));
        await node.Revoker.RevokeAllAsync();
        node.Host.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(HttpStatusCode.Gone, await node.StatusAsync(url));
        Assert.Equal(SignedFileOutcome.Expired, node.Events[^1].Outcome);
    }

    [Fact]
    public async Task HeadOfRevokedLink_Is410_WithoutBody()
    {
        await using var node = await StartAsync();
        var url = node.Mint("/protected/other.txt");
        await node.Revoker.RevokeAllAsync();

        using var head = await node.Host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.Gone, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/kyc/42")]                      // the folder's RequestPath forgotten: would silently revoke nothing
    [InlineData("/public/kyc/42")]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("protected/kyc/42")]
    [InlineData("/protected/../appsettings.json")]
    [InlineData("/protected//kyc")]
    [InlineData("/protected/kyc/.hidden")]
    [InlineData("https://example.com/protected/kyc/42")]
    public async Task RevokePath_ThatCouldMatchNoLink_ThrowsNamingPath(string path)
    {
        await using var node = await StartAsync();
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => node.Revoker.RevokePathAsync(path).AsTask());
        Assert.Equal("path", exception.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAA AAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAA")]
    public async Task RevokeLink_NotALinkId_ThrowsNamingLinkId(string linkId)
    {
        await using var node = await StartAsync();
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => node.Revoker.RevokeLinkAsync(linkId).AsTask());
        Assert.Equal("linkId", exception.ParamName);
    }

    [Fact]
    public async Task NullOrEmptyArguments_Throw()
    {
        await using var node = await StartAsync();
        await Assert.ThrowsAsync<ArgumentNullException>(() => node.Revoker.RevokeLinkAsync(null!).AsTask());
        await Assert.ThrowsAsync<ArgumentNullException>(() => node.Revoker.RevokeUserAsync(null!).AsTask());
        await Assert.ThrowsAsync<ArgumentNullException>(() => node.Revoker.RevokePathAsync(null!).AsTask());
        Assert.Equal("userId", (await Assert.ThrowsAsync<ArgumentException>(() => node.Revoker.RevokeUserAsync("").AsTask())).ParamName);
        Assert.Equal("userId", (await Assert.ThrowsAsync<ArgumentException>(() => node.Revoker.RevokeUserAsync(new string('u', 1025)).AsTask())).ParamName);
    }
}
