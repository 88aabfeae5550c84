using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Testing;
using SignedStaticFiles.Signing;
using SignedStaticFiles.SingleUse;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.SingleUse;

/// <summary>
/// T5 single-use replay (docs/security-model.md, docs/responses.md). A single-use link works for exactly one GET, which is served whole; HEAD answers
/// what that GET would without consuming it; any later use answers 410; the store failing answers 503.
/// </summary>
public sealed class SingleUseLinkTests
{
    private const string FilePath = "kyc/42/front.txt";
    private const string UrlPath = "/protected/kyc/42/front.txt";
    private static readonly string Content = string.Concat(Enumerable.Repeat("0123456789", 100));

    private static async Task<SignedHost> StartAsync(Action<WebApplicationBuilder>? builder = null)
    {
        var host = await SignedHost.StartAsync(builder: builder);
        host.WriteFile(FilePath, Content);
        return host;
    }

    private static string SingleUseUrl(SignedHost host, string path = UrlPath) =>
        host.Generator.GetSignedUrl(path, new SignedUrlOptions { SingleUse = true });

    [Fact]
    public async Task Generator_SealsSingleUseFlagInToken()
    {
        await using var host = await StartAsync();
        var protector = host.Services.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0].Protector;

        static string Token(string url) => url[(url.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        Assert.True(protector.Unprotect(Token(SingleUseUrl(host)))!.SingleUse);
        Assert.False(protector.Unprotect(Token(host.Generator.GetSignedUrl(UrlPath)))!.SingleUse);
    }

    [Fact]
    public async Task SingleUseLink_FirstGetReturns200_SecondGetReturns410AlreadyUsed()
    {
        await using var host = await StartAsync();
        var url = SingleUseUrl(host);

        var first = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(Content, await first.Content.ReadAsStringAsync());

        var second = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Gone, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"title\":\"Link already used\"", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(second.Headers.CacheControl is { NoStore: true, Private: true });
    }

    [Fact]
    public async Task PlainLink_IsNotConsumed()
    {
        await using var host = await StartAsync();
        var url = host.Generator.GetSignedUrl(UrlPath);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        }
    }

    [Fact]
    public async Task SingleUseLink_HeadDoesNotConsume_AndMirrorsTheGet()
    {
        await using var host = await StartAsync();
        var url = SingleUseUrl(host);

        for (var i = 0; i < 2; i++)
        {
            using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(Content.Length, head.Content.Headers.ContentLength);
            Assert.Equal("none", string.Join(",", head.Headers.AcceptRanges));
        }

        var get = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(Content, await get.Content.ReadAsStringAsync());

        using var afterUse = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.Gone, afterUse.StatusCode);
    }

    [Fact]
    public async Task SingleUseLink_RangeRequest_IsServedWhole_WithAcceptRangesNone()
    {
        await using var host = await StartAsync();

        // Control: the same Range on a plain link is honoured, so the assertion below can fail.
        using var plainRequest = new HttpRequestMessage(HttpMethod.Get, host.Generator.GetSignedUrl(UrlPath));
        plainRequest.Headers.Range = new RangeHeaderValue(0, 9);
        var plain = await host.Client.SendAsync(plainRequest);
        Assert.Equal(HttpStatusCode.PartialContent, plain.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, SingleUseUrl(host));
        request.Headers.Range = new RangeHeaderValue(0, 9);
        request.Headers.TryAddWithoutValidation("If-Range", plain.Headers.ETag!.ToString());
        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content, await response.Content.ReadAsStringAsync());
        Assert.Equal("none", string.Join(",", response.Headers.AcceptRanges));
        Assert.Null(response.Content.Headers.ContentRange);
    }

    public static TheoryData<string, string> ConditionalHeaders => new()
    {
        { "If-None-Match", "{etag}" },
        { "If-None-Match", "*" },
        { "If-Modified-Since", "{lastModified}" },
        { "If-Match", "\"not-the-etag\"" },
        { "If-Unmodified-Since", "Mon, 01 Jan 1990 00:00:00 GMT" },
    };

    /// <summary>A 304 or a 412 would burn the link without delivering the file: conditionals are ignored.</summary>
    [Theory]
    [MemberData(nameof(ConditionalHeaders))]
    public async Task SingleUseLink_ConditionalHeaders_AreIgnored_FileServedWhole(string header, string value)
    {
        await using var host = await StartAsync();
        var plain = await host.Client.GetAsync(host.Generator.GetSignedUrl(UrlPath));
        value = value.Replace("{etag}", plain.Headers.ETag!.ToString(), StringComparison.Ordinal)
            .Replace("{lastModified}", plain.Content.Headers.LastModified!.Value.ToString("R"), StringComparison.Ordinal);

        // Control: a plain link honours the precondition.
        using var control = new HttpRequestMessage(HttpMethod.Get, host.Generator.GetSignedUrl(UrlPath));
        control.Headers.TryAddWithoutValidation(header, value);
        Assert.NotEqual(HttpStatusCode.OK, (await host.Client.SendAsync(control)).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, SingleUseUrl(host));
        request.Headers.TryAddWithoutValidation(header, value);
        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SingleUseLink_ConcurrentRequests_ExactlyOneServed()
    {
        await using var host = await StartAsync();
        const int attempts = 100;
        var url = SingleUseUrl(host);

        var responses = await Task.WhenAll(Enumerable.Range(0, attempts).Select(_ => Task.Run(() => host.Client.GetAsync(url))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(attempts - 1, responses.Count(r => r.StatusCode == HttpStatusCode.Gone));
    }

    [Fact]
    public async Task SingleUseLink_RefusedForAnotherPath_IsNotConsumed()
    {
        await using var host = await StartAsync();
        host.WriteFile("kyc/42/back.txt", "back");
        var url = SingleUseUrl(host);

        var wrongPath = await host.Client.GetAsync(url.Replace("front.txt", "back.txt", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, wrongPath.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task UserBoundSingleUseLink_RefusedToAnotherUser_IsNotConsumed()
    {
        await using var host = await StartAsync(b => b.Services.AddAuthentication(HeaderAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null));
        var url = host.Generator.GetSignedUrl(UrlPath, new SignedUrlOptions { SingleUse = true, UserId = "alice" });

        async Task<HttpStatusCode> GetAs(string? user)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (user is not null)
            {
                request.Headers.Add(HeaderAuthentication.Header, user);
            }

            return (await host.Client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await GetAs("mallory"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAs(null));
        Assert.Equal(HttpStatusCode.OK, await GetAs("alice"));
        Assert.Equal(HttpStatusCode.Gone, await GetAs("alice"));
    }

    [Fact]
    public async Task SingleUseLink_PastExpiry_Returns410Expired_NotAlreadyUsed()
    {
        await using var host = await StartAsync();
        var url = host.Generator.GetSignedUrl(UrlPath, new SignedUrlOptions { SingleUse = true, Lifetime = TimeSpan.FromMinutes(1) });
        host.Time.Advance(TimeSpan.FromMinutes(2));

        var response = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("\"title\":\"Link expired\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await host.Services.GetRequiredService<ISingleUseLinkStore>().IsConsumedAsync(LinkId(host, url), default));
    }

    [Fact]
    public async Task SingleUseLink_ConsumedRecordOutlivesExpiryByClockSkewAllowance()
    {
        await using var host = await StartAsync();
        var url = host.Generator.GetSignedUrl(UrlPath, new SignedUrlOptions { SingleUse = true, Lifetime = TimeSpan.FromMinutes(1) });
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);

        var store = Assert.IsType<InMemorySingleUseLinkStore>(host.Services.GetRequiredService<ISingleUseLinkStore>());
        host.Time.Advance(TimeSpan.FromMinutes(1) + SingleUseLinkGuard.ClockSkewAllowance - TimeSpan.FromSeconds(1));
        await store.TryConsumeAsync("sweep-trigger", host.Time.GetUtcNow().AddMinutes(5), default);
        Assert.True(await store.IsConsumedAsync(LinkId(host, url), default));

        host.Time.Advance(TimeSpan.FromMinutes(2));
        await store.TryConsumeAsync("sweep-trigger-2", host.Time.GetUtcNow().AddMinutes(5), default);
        Assert.False(await store.IsConsumedAsync(LinkId(host, url), default));
    }

    [Fact]
    public async Task StoreFailing_SingleUseReturns503_PlainLinksServed_OutageLoggedOnce_ThenRecovers()
    {
        var store = new FailingStore();
        await using var host = await StartAsync(b =>
        {
            b.Services.Replace(ServiceDescriptor.Singleton<ISingleUseLinkStore>(_ => store.WithInner(new InMemorySingleUseLinkStore(TimeProvider.System))));
            b.Services.AddFakeLogging();
        });
        var logs = host.Services.GetFakeLogCollector();

        store.Failing = true;
        for (var i = 0; i < 5; i++)
        {
            var refused = await host.Client.GetAsync(SingleUseUrl(host));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.DoesNotContain("redis is on fire", body, StringComparison.OrdinalIgnoreCase);

            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(host.Generator.GetSignedUrl(UrlPath))).StatusCode);
        }

        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, SingleUseUrl(host)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, head.StatusCode);

        var outage = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 50);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, outage.Level);
        Assert.IsType<IOException>(outage.Exception);

        store.Failing = false;
        var url = SingleUseUrl(host);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await host.Client.GetAsync(url)).StatusCode);
        Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 51);

        // A second outage is logged again, once.
        store.Failing = true;
        await host.Client.GetAsync(SingleUseUrl(host));
        await host.Client.GetAsync(SingleUseUrl(host));
        Assert.Equal(2, logs.GetSnapshot().Count(r => r.Id.Id == 50));
    }

    private static string LinkId(SignedHost host, string url) =>
        host.Services.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0].Protector
            .Unprotect(url.AsSpan(url.IndexOf("token=", StringComparison.Ordinal) + 6))!.LinkId;

    /// <summary>Failure injection around the real in-memory store: throws like a store whose server is down.</summary>
    private sealed class FailingStore : ISingleUseLinkStore
    {
        private ISingleUseLinkStore? _inner;

        public volatile bool Failing;

        public FailingStore WithInner(ISingleUseLinkStore inner)
        {
            _inner = inner;
            return this;
        }

        public ValueTask<bool> TryConsumeAsync(string linkId, DateTimeOffset keepUntil, CancellationToken cancellationToken) =>
            Failing ? throw new IOException("redis is on fire") : _inner!.TryConsumeAsync(linkId, keepUntil, cancellationToken);

        public ValueTask<bool> IsConsumedAsync(string linkId, CancellationToken cancellationToken) =>
            Failing ? throw new IOException("redis is on fire") : _inner!.IsConsumedAsync(linkId, cancellationToken);
    }
}
