using System.Net;
using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Endpoints;

/// <summary>
/// <c>app.MapSignedStaticFiles()</c>: the same answers as the middleware, one convention builder over every folder
/// (authorization, rate limiting, output caching are the framework's), and no way to serve the folders twice.
/// </summary>
public sealed class MapSignedStaticFilesTests
{
    private static Action<WebApplicationBuilder> WithContracts(string contentRoot, Action<WebApplicationBuilder>? more = null) => b =>
    {
        Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "contracts"));
        b.Services.AddSignedStaticFiles("contracts", o =>
        {
            o.RequestPath = "/contracts";
            o.RootPath = "App_Data/contracts";
        });
        more?.Invoke(b);
    };

    private static Action<WebApplicationBuilder> WithHeaderAuthentication(Action<WebApplicationBuilder>? more = null) => b =>
    {
        b.Services.AddAuthentication(HeaderAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        b.Services.AddAuthorization();
        more?.Invoke(b);
    };

    private static HttpRequestMessage Get(string url, string? user = null, string method = "GET")
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (user is not null)
        {
            request.Headers.Add(HeaderAuthentication.Header, user);
        }

        return request;
    }

    public static TheoryData<string> Cases => new()
    {
        "valid", "valid-head", "range", "if-none-match", "missing-token", "forged-token", "lowercase-get", "post", "missing-file", "expired", "traversal",
    };

    /// <summary>Every case answered by the endpoint form exactly as the middleware answers it: status, headers that matter, body.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EndpointForm_AnswersLikeTheMiddleware(string name)
    {
        await using var middleware = await SignedHost.StartAsync();
        await using var endpoints = await SignedHost.StartAsync(pipeline: app => app.MapSignedStaticFiles());

        var answers = new List<string>();
        foreach (var host in new[] { middleware, endpoints })
        {
            host.WriteFile("kyc/a.txt", "0123456789");
            var url = host.Generator.GetSignedUrl("/protected/kyc/a.txt");
            using var request = name switch
            {
                "valid" => Get(url),
                "valid-head" => Get(url, method: "HEAD"),
                "range" => Get(url),
                "if-none-match" => Get(url),
                "missing-token" => Get("/protected/kyc/a.txt"),
                "forged-token" => Get("/protected/kyc/a.txt?token=AAAA" + url[^20..]),
                "lowercase-get" => Get(url, method: "get"),
                "post" => Get(url, method: "POST"),
                "missing-file" => Get(host.Generator.GetSignedUrl("/protected/kyc/missing.txt")),
                "expired" => Get(url),
                "traversal" => Get("/protected/kyc/../a.txt?token=x"),
                _ => throw new ArgumentOutOfRangeException(nameof(name)),
            };
            if (name == "range")
            {
                request.Headers.Range = new RangeHeaderValue(2, 4);
            }
            else if (name == "if-none-match")
            {
                using var first = await host.Client.GetAsync(url);
                request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            }
            else if (name == "expired")
            {
                host.Time.Advance(TimeSpan.FromHours(1));
            }

            using var response = await host.Client.SendAsync(request);
            var headers = string.Join("\n", new[]
                {
                    "Cache-Control", "Referrer-Policy", "X-Content-Type-Options", "X-Robots-Tag", "Cross-Origin-Resource-Policy",
                    "Content-Security-Policy", "Allow", "Accept-Ranges", "ETag", "Content-Range", "Content-Type", "Content-Length",
                }
                .Select(h => h + ": " + string.Join(",", response.Headers.TryGetValues(h, out var v) ? v : response.Content.Headers.TryGetValues(h, out var c) ? c : [])));
            answers.Add($"{(int)response.StatusCode}\n{headers}\n{await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(answers[0].Split('\n').Where(l => !l.StartsWith("ETag", StringComparison.Ordinal)), answers[1].Split('\n').Where(l => !l.StartsWith("ETag", StringComparison.Ordinal)));
        Assert.DoesNotContain("500", answers[1].Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointForm_OtherMethods_Get405FromThePackage_CaseSensitive()
    {
        await using var host = await SignedHost.StartAsync(pipeline: app => app.MapSignedStaticFiles());
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");

        foreach (var method in new[] { "POST", "DELETE", "get", "head", "OPTIONS" })
        {
            using var response = await host.Client.SendAsync(Get(url, method: method));
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    [Fact]
    public async Task EndpointForm_EndpointsCarryNoHttpMethodMetadata_OnePerFolder()
    {
        var contentRoot = SignedHost.NewContentRoot();
        await using var host = await SignedHost.StartAsync(builder: WithContracts(contentRoot), pipeline: app => app.MapSignedStaticFiles(), contentRoot: contentRoot);

        var ours = host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.DisplayName?.StartsWith("SignedStaticFiles", StringComparison.Ordinal) == true)
            .ToList();

        Assert.Equal(["/contracts/{**path}", "/protected/{**path}"], ours.Select(e => Describe(e.RoutePattern)).Order(StringComparer.Ordinal));
        Assert.All(ours, e => Assert.Null(e.Metadata.GetMetadata<IHttpMethodMetadata>()));
    }

    /// <summary>Anonymous: the framework's challenge (401), before the link is even read. Signed in: served.</summary>
    [Fact]
    public async Task RequireAuthorization_AnonymousIsChallenged_SignedInIsServed()
    {
        await using var host = await SignedHost.StartAsync(
            builder: WithHeaderAuthentication(),
            pipeline: app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapSignedStaticFiles().RequireAuthorization();
            });
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");

        using var anonymous = await host.Client.SendAsync(Get(url));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var signedIn = await host.Client.SendAsync(Get(url, "alice"));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("a", await signedIn.Content.ReadAsStringAsync());

        // The link's own binding still applies behind the policy.
        var bobs = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { UserId = "bob" });
        using var wrongUser = await host.Client.SendAsync(Get(bobs, "alice"));
        Assert.Equal(HttpStatusCode.Forbidden, wrongUser.StatusCode);
    }

    /// <summary>
    /// An app-wide fallback policy covers endpoints that say nothing about authorization, ours included: an unbound
    /// link then needs a signed-in user, until the app says <c>AllowAnonymous()</c> on the folders.
    /// </summary>
    [Theory]
    [InlineData(false, HttpStatusCode.Unauthorized)]
    [InlineData(true, HttpStatusCode.OK)]
    public async Task FallbackPolicy_CoversTheEndpoints_UnlessAllowAnonymous(bool allowAnonymous, HttpStatusCode anonymousStatus)
    {
        await using var host = await SignedHost.StartAsync(
            builder: WithHeaderAuthentication(b => b.Services.AddAuthorizationBuilder()
                .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())),
            pipeline: app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                var folders = app.MapSignedStaticFiles();
                if (allowAnonymous)
                {
                    folders.AllowAnonymous();
                }
            });
        host.WriteFile("a.txt", "a");

        using var anonymous = await host.Client.SendAsync(Get(host.Generator.GetSignedUrl("/protected/a.txt")));

        Assert.Equal(anonymousStatus, anonymous.StatusCode);
    }

    /// <summary>The one returned builder applies a convention to every folder's endpoint.</summary>
    [Fact]
    public async Task RequireAuthorization_AppliesToEveryFolder()
    {
        var contentRoot = SignedHost.NewContentRoot();
        await using var host = await SignedHost.StartAsync(
            builder: WithContracts(contentRoot, WithHeaderAuthentication()),
            pipeline: app => app.MapSignedStaticFiles().RequireAuthorization(),
            contentRoot: contentRoot);
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "App_Data", "contracts", "c.txt"), "c");
        host.WriteFile("a.txt", "a");

        foreach (var url in new[] { host.Generator.GetSignedUrl("/protected/a.txt"), host.Generator.GetSignedUrl("/contracts/c.txt") })
        {
            using var anonymous = await host.Client.SendAsync(Get(url));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var signedIn = await host.Client.SendAsync(Get(url, "alice"));
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }
    }

    [Fact]
    public async Task RequireRateLimiting_Answers429AfterTheLimit()
    {
        await using var host = await SignedHost.StartAsync(
            builder: b => b.Services.AddRateLimiter(o =>
            {
                o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                o.AddFixedWindowLimiter("files", l =>
                {
                    l.PermitLimit = 3;
                    l.Window = TimeSpan.FromHours(1);
                    l.QueueLimit = 0;
                });
            }),
            pipeline: app =>
            {
                app.UseRouting();
                app.UseRateLimiter();
                app.MapSignedStaticFiles().RequireRateLimiting("files");
                app.MapGet("/other", () => "other");
            });
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await host.Client.GetAsync(i == 1 ? "/protected/a.txt?token=forged" : url);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        using var other = await host.Client.GetAsync("/other");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    /// <summary>
    /// An output-cache policy put on the endpoints never replays an answer: a single-use link's second request is
    /// 410, not the first answer from the cache.
    /// </summary>
    [Fact]
    public async Task CacheOutput_OnTheEndpoints_NeverStoresAnAnswer()
    {
        await using var host = await SignedHost.StartAsync(
            builder: b => b.Services.AddOutputCache(),
            pipeline: app =>
            {
                app.UseRouting();
                app.UseOutputCache();
                app.MapSignedStaticFiles().CacheOutput(p => p.Expire(TimeSpan.FromHours(1)));
            });
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { SingleUse = true });

        using var first = await host.Client.GetAsync(url);
        using var second = await host.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, second.StatusCode);
        Assert.False(second.Headers.Contains("Age"));
    }

    [Fact]
    public async Task UseThenMap_Throws_NamingBoth()
    {
        await using var app = await BuildAppAsync();
        app.UseSignedStaticFiles();

        var e = Assert.Throws<InvalidOperationException>(() => app.MapSignedStaticFiles());

        Assert.Contains("app.MapSignedStaticFiles() was called after app.UseSignedStaticFiles()", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapThenUse_Throws_NamingBoth()
    {
        await using var app = await BuildAppAsync();
        app.MapSignedStaticFiles();

        var e = Assert.Throws<InvalidOperationException>(() => app.UseSignedStaticFiles());

        Assert.Contains("app.UseSignedStaticFiles() was called after app.MapSignedStaticFiles()", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapTwice_Throws()
    {
        await using var app = await BuildAppAsync();
        app.MapSignedStaticFiles();

        var e = Assert.Throws<InvalidOperationException>(() => app.MapSignedStaticFiles());

        Assert.Contains("called twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapInsideARouteGroup_Throws()
    {
        await using var app = await BuildAppAsync();

        var e = Assert.Throws<InvalidOperationException>(() => app.MapGroup("/files").MapSignedStaticFiles());

        Assert.Contains("not inside MapGroup", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapWithoutAddSignedStaticFiles_Throws()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        var e = Assert.Throws<InvalidOperationException>(() => app.MapSignedStaticFiles());

        Assert.Contains("AddSignedStaticFiles", e.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    private static string Describe(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(s => s.Parts.Single() switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart { IsCatchAll: true } parameter => "{**" + parameter.Name + "}",
            var other => other.ToString(),
        }));

    private static Task<WebApplication> BuildAppAsync()
    {
        var contentRoot = SignedHost.NewContentRoot();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Services.AddSignedStaticFiles();
        return Task.FromResult(builder.Build());
    }
}
