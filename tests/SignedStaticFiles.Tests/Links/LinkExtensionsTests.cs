using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Links;

/// <summary>
/// <c>HttpContext.GetSignedUrl</c> (minimal APIs) and <c>IUrlHelper.SignedContent</c> (MVC, Razor Pages) in an app
/// mounted at <c>UsePathBase("/app")</c>: the URL a browser can follow (PathBase in front), bound to the signed-in
/// user unless the options say otherwise, fetched for real.
/// </summary>
public sealed class LinkExtensionsTests : IAsyncLifetime
{
    private SignedHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await SignedHost.StartAsync(
            o => o.MaxLifetime = TimeSpan.FromHours(1),
            builder: b =>
            {
                b.Services.AddAuthentication(HeaderAuthentication.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
                b.Services.AddControllers().AddApplicationPart(typeof(LinksController).Assembly);
            },
            pipeline: app =>
            {
                app.UsePathBase("/app");
                app.UseRouting();
                app.UseAuthentication();
                app.UseSignedStaticFiles();
                app.MapGet("/minimal/link", (HttpContext context, string path, bool? bind, string? user) =>
                    context.GetSignedUrl(path, new SignedUrlOptions { BindToUser = bind ?? true, UserId = user }));
                app.MapGet("/minimal/default", (HttpContext context, string path) => context.GetSignedUrl(path));
                app.MapControllers();
            });
        _host.WriteFile("kyc/a.txt", "a");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/app/minimal/default?path=/protected/kyc/a.txt")]
    [InlineData("/app/minimal/link?path=~/protected/kyc/a.txt")]
    [InlineData("/app/mvc/link?path=/protected/kyc/a.txt")]
    [InlineData("/app/mvc/link?path=~/protected/kyc/a.txt")]
    public async Task SignedInUser_GetsALinkUnderThePathBase_ThatOpensOnlyForThem(string minter)
    {
        var url = await MintAsync(minter, "alice");

        Assert.StartsWith("/app/protected/kyc/a.txt?token=", url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await FetchAsync(url, "alice"));
        Assert.Equal(HttpStatusCode.Forbidden, await FetchAsync(url, "bob"));
        Assert.Equal(HttpStatusCode.Forbidden, await FetchAsync(url, null));
    }

    [Theory]
    [InlineData("/app/minimal/link?path=/protected/kyc/a.txt&bind=false")]
    [InlineData("/app/mvc/link?path=/protected/kyc/a.txt&bind=false")]
    public async Task BindToUserFalse_OpensForAnyone(string minter)
    {
        var url = await MintAsync(minter, "alice");

        Assert.Equal(HttpStatusCode.OK, await FetchAsync(url, "bob"));
        Assert.Equal(HttpStatusCode.OK, await FetchAsync(url, null));
    }

    [Theory]
    [InlineData("/app/minimal/link?path=/protected/kyc/a.txt&user=carol")]
    [InlineData("/app/mvc/link?path=/protected/kyc/a.txt&user=carol")]
    public async Task ExplicitUserId_ReplacesTheSignedInUser(string minter)
    {
        var url = await MintAsync(minter, "alice");

        Assert.Equal(HttpStatusCode.OK, await FetchAsync(url, "carol"));
        Assert.Equal(HttpStatusCode.Forbidden, await FetchAsync(url, "alice"));
    }

    [Theory]
    [InlineData("/app/minimal/default?path=/protected/kyc/a.txt")]
    [InlineData("/app/mvc/link?path=/protected/kyc/a.txt")]
    public async Task AnonymousRequest_GetsAnUnboundLink(string minter)
    {
        var url = await MintAsync(minter, null);

        Assert.StartsWith("/app/protected/", url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await FetchAsync(url, "bob"));
    }

    [Fact]
    public void Errors_AreTheGeneratorsErrors()
    {
        var context = Context("alice", "/app");

        Assert.Equal("path", Assert.Throws<ArgumentException>(() => context.GetSignedUrl("/elsewhere/a.txt")).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => context.GetSignedUrl("https://evil.example/protected/a.txt")).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => context.GetSignedUrl("/protected/../a.txt")).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => context.GetSignedUrl(null!)).ParamName);
        var lifetime = Assert.Throws<ArgumentOutOfRangeException>(() => context.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { Lifetime = TimeSpan.FromDays(2) }));
        Assert.Equal("options", lifetime.ParamName);
        Assert.Contains("SignedUrlOptions.Lifetime", lifetime.Message, StringComparison.Ordinal);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => context.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { UserId = "" })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => context.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { Redaction = "nope" })).ParamName);
        Assert.Throws<ArgumentNullException>(() => ((HttpContext)null!).GetSignedUrl("/protected/a.txt"));
    }

    [Fact]
    public void SignedInUserWithoutTheClaim_IsAnError_NeverAnUnboundLink()
    {
        var context = Context(null, "");
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "Alice")], "Test"));

        var e = Assert.Throws<ArgumentException>(() => context.GetSignedUrl("/protected/a.txt"));

        Assert.Equal("options", e.ParamName);
        Assert.Contains(ClaimTypes.NameIdentifier, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("/protected/a.txt?token=", context.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { BindToUser = false }), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAddSignedStaticFiles_Throws_NamingTheCall()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };

        var e = Assert.Throws<InvalidOperationException>(() => context.GetSignedUrl("/protected/a.txt"));

        Assert.Contains("AddSignedStaticFiles", e.Message, StringComparison.Ordinal);
    }

    private DefaultHttpContext Context(string? user, string pathBase)
    {
        var context = new DefaultHttpContext { RequestServices = _host.Services };
        context.Request.PathBase = pathBase;
        if (user is not null)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], "Test"));
        }

        return context;
    }

    private async Task<string> MintAsync(string minter, string? user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, minter);
        if (user is not null)
        {
            request.Headers.Add(HeaderAuthentication.Header, user);
        }

        using var response = await _host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        return body.StartsWith('"') ? System.Text.Json.JsonSerializer.Deserialize<string>(body)! : body;
    }

    private async Task<HttpStatusCode> FetchAsync(string url, string? user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (user is not null)
        {
            request.Headers.Add(HeaderAuthentication.Header, user);
        }

        using var response = await _host.Client.SendAsync(request);
        return response.StatusCode;
    }
}

/// <summary>An MVC controller minting with <c>Url.SignedContent</c>, as a view or an API would.</summary>
#pragma warning disable CA1515 // MVC discovers public controllers only.
public sealed class LinksController : Controller
#pragma warning restore CA1515
{
    [HttpGet("/mvc/link")]
    public string Link(string path, bool? bind, string? user) =>
        Url.SignedContent(path, new SignedUrlOptions { BindToUser = bind ?? true, UserId = user });
}
