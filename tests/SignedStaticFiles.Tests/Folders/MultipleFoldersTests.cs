using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.TagHelpers;
using SignedStaticFiles.Tests.Infrastructure;
using SignedStaticFiles.Tests.TagHelpers;

namespace SignedStaticFiles.Tests.Folders;

/// <summary>
/// Three folders with their own rules, as a KYC service has them: ID images (<c>/protected</c>, links up to 10
/// minutes), contracts (<c>/contracts</c>: 2-minute cap, a 1-minute default, their own token parameter and user
/// claim, browser copies allowed for a minute), audit exports (<c>/audit</c>: links for a day). Every folder holds a
/// file of the same name with different bytes.
/// </summary>
public sealed class MultipleFoldersTests : IAsyncLifetime
{
    private SignedHost _host = null!;

    public async Task InitializeAsync()
    {
        var contentRoot = SignedHost.NewContentRoot();
        _host = await SignedHost.StartAsync(
            o => o.MaxLifetime = TimeSpan.FromMinutes(10),
            builder: b =>
            {
                Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "contracts"));
                Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "audit"));
                b.Services.AddSignedStaticFiles("contracts", o =>
                {
                    o.RequestPath = "/contracts";
                    o.RootPath = "App_Data/contracts";
                    o.MaxLifetime = TimeSpan.FromMinutes(2);
                    o.DefaultLifetime = TimeSpan.FromMinutes(1);
                    o.TokenParameterName = "sig";
                    o.UserIdClaimType = "sub";
                    o.CacheControl = "private, max-age=60";
                });
                b.Services.AddSignedStaticFiles("audit", o =>
                {
                    o.RequestPath = "/audit";
                    o.RootPath = "App_Data/audit";
                    o.MaxLifetime = TimeSpan.FromDays(1);
                    o.DefaultLifetime = TimeSpan.FromHours(12);
                });
                b.Services.AddAuthentication(HeaderAuthentication.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
            },
            contentRoot: contentRoot);
        _host.WriteFile("same.txt", "id image");
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "App_Data", "contracts", "same.txt"), "contract");
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "App_Data", "audit", "same.txt"), "audit export");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/protected/same.txt", "id image")]
    [InlineData("/contracts/same.txt", "contract")]
    [InlineData("/audit/same.txt", "audit export")]
    public async Task EachFolder_ServesItsOwnRoot(string path, string content)
    {
        using var response = await _host.Client.GetAsync(_host.Generator.GetSignedUrl(path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/protected/same.txt", 10, true)]
    [InlineData("/protected/same.txt", 11, false)]
    [InlineData("/contracts/same.txt", 2, true)]
    [InlineData("/contracts/same.txt", 3, false)]
    [InlineData("/audit/same.txt", 24 * 60, true)]
    [InlineData("/audit/same.txt", 24 * 60 + 1, false)]
    public void Generator_AppliesTheCapOfThePathsFolder(string path, int minutes, bool allowed)
    {
        var lifetime = TimeSpan.FromMinutes(minutes);

        Assert.Equal(allowed, _host.Generator.TryGetSignedUrl(path, new SignedUrlOptions { Lifetime = lifetime }, out _));
        if (!allowed)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => _host.Generator.GetSignedUrl(path, lifetime));
            Assert.Equal("lifetime", e.ParamName);
            Assert.Contains("'" + path[..path.IndexOf('/', 1)] + "'", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DefaultLifetime_IsTheFolders()
    {
        var contract = _host.Generator.GetSignedUrl("/contracts/same.txt");
        var image = _host.Generator.GetSignedUrl("/protected/same.txt");

        _host.Time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(HttpStatusCode.Gone, (await _host.Client.GetAsync(contract)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync(image)).StatusCode);
    }

    [Fact]
    public void TokenParameter_IsTheFolders()
    {
        Assert.StartsWith("/contracts/same.txt?sig=", _host.Generator.GetSignedUrl("/contracts/same.txt"), StringComparison.Ordinal);
        Assert.StartsWith("/audit/same.txt?token=", _host.Generator.GetSignedUrl("/audit/same.txt"), StringComparison.Ordinal);
    }

    /// <summary>
    /// A token of one folder never opens another folder's file, even one of the same name: the path is bound, and
    /// each folder's links are sealed under its own scope.
    /// </summary>
    [Theory]
    [InlineData("/contracts/same.txt", "/protected/same.txt")]
    [InlineData("/protected/same.txt", "/contracts/same.txt")]
    [InlineData("/audit/same.txt", "/protected/same.txt")]
    [InlineData("/protected/same.txt", "/audit/same.txt")]
    public async Task LinkOfOneFolder_IsRefusedOnAnother_SameFileName(string signedFor, string requested)
    {
        var url = _host.Generator.GetSignedUrl(signedFor);
        var token = url[(url.IndexOf('=') + 1)..];

        foreach (var parameter in new[] { "token", "sig" })
        {
            using var response = await _host.Client.GetAsync($"{requested}?{parameter}={token}");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    /// <summary>The token alone, under the other folder's path it was not signed for: refused by scope, not only by path.</summary>
    [Fact]
    public void TokenOfOneFolder_DoesNotUnprotectUnderAnothersScope()
    {
        var registry = _host.Services.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>();
        var contracts = registry.Folders.Single(f => f.Name == "contracts");
        var images = registry.Folders.Single(f => f.Name.Length == 0);
        var url = _host.Generator.GetSignedUrl("/contracts/same.txt");

        Assert.NotNull(contracts.Protector.Unprotect(url.AsSpan(url.IndexOf('=') + 1)));
        Assert.Null(images.Protector.Unprotect(url.AsSpan(url.IndexOf('=') + 1)));
    }

    [Fact]
    public async Task UserBinding_UsesEachFoldersClaimType()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "alice"), new Claim("sub", "A-1")], "Test"));
        var context = new DefaultHttpContext { RequestServices = _host.Services, User = user };

        var contract = context.GetSignedUrl("/contracts/same.txt");
        var image = context.GetSignedUrl("/protected/same.txt");

        var folders = _host.Services.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>().Folders;
        Assert.Equal("A-1", folders.Single(f => f.Name == "contracts").Protector.Unprotect(contract.AsSpan(contract.IndexOf('=') + 1))!.UserId);
        Assert.Equal("alice", folders.Single(f => f.Name.Length == 0).Protector.Unprotect(image.AsSpan(image.IndexOf('=') + 1))!.UserId);

        // HeaderAuthentication signs in with a NameIdentifier claim only: the contract link, bound by "sub", is not theirs.
        using var request = new HttpRequestMessage(HttpMethod.Get, contract);
        request.Headers.Add(HeaderAuthentication.Header, "A-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task CacheControl_IsTheFolders()
    {
        using var contract = await _host.Client.GetAsync(_host.Generator.GetSignedUrl("/contracts/same.txt"));
        using var image = await _host.Client.GetAsync(_host.Generator.GetSignedUrl("/protected/same.txt"));

        Assert.True(contract.Headers.CacheControl!.Private);
        Assert.Equal(TimeSpan.FromSeconds(60), contract.Headers.CacheControl.MaxAge);
        Assert.True(image.Headers.CacheControl!.Private);
        Assert.True(image.Headers.CacheControl.NoStore);
        Assert.Null(image.Headers.CacheControl.MaxAge);
    }

    [Theory]
    [InlineData("~/contracts/same.txt", "00:02:00", true)]
    [InlineData("~/contracts/same.txt", "00:03:00", false)]
    [InlineData("~/protected/same.txt", "00:03:00", true)]
    [InlineData("~/audit/same.txt", "1.00:00:00", true)]
    [InlineData("~/audit/same.txt", "1.00:00:01", false)]
    public void TagHelper_AppliesTheCapOfThePathsFolder(string src, string lifetime, bool allowed)
    {
        var helper = new SignedImageTagHelper(_host.Generator) { Src = src, Lifetime = lifetime, ViewContext = TagHelperTestKit.View() };
        var (context, output) = TagHelperTestKit.Tag("signed-img", ["src", "lifetime"], ("src", src), ("lifetime", lifetime));

        var e = Record.Exception(() => helper.Process(context, output));

        if (allowed)
        {
            Assert.Null(e);
            Assert.StartsWith(src[1..] + "?", output.Attributes["src"].Value.ToString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.IsType<InvalidOperationException>(e);
            Assert.Contains("'lifetime' attribute", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PathUnderNoFolder_ListsEveryFolder()
    {
        var e = Assert.Throws<ArgumentException>(() => _host.Generator.GetSignedUrl("/elsewhere/a.txt"));

        Assert.Equal("path", e.ParamName);
        Assert.Contains("'/contracts'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'/audit'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'/protected'", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>Named folders exist only when registered, and read their own configuration section.</summary>
public sealed class NamedFolderRegistrationTests
{
    [Fact]
    public async Task NamedFolderAlone_MakesNoDefaultFolder()
    {
        var contentRoot = SignedHost.NewContentRoot();
        Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "contracts"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Services.AddSignedStaticFiles("contracts", o =>
        {
            o.RequestPath = "/contracts";
            o.RootPath = "App_Data/contracts";
        });
        await using var app = builder.Build();
        app.UseSignedStaticFiles();
        app.MapGet("/protected/a.txt", () => "the app's own endpoint");
        await app.StartAsync();
        var generator = app.Services.GetRequiredService<ISignedUrlGenerator>();

        Assert.Equal("path", Assert.Throws<ArgumentException>(() => generator.GetSignedUrl("/protected/a.txt")).ParamName);
        Assert.StartsWith("/contracts/a.txt?token=", generator.GetSignedUrl("/contracts/a.txt"), StringComparison.Ordinal);
        using var client = app.GetTestClient();
        Assert.Equal("the app's own endpoint", await client.GetStringAsync("/protected/a.txt"));
    }

    [Fact]
    public async Task NamedFolder_BindsItsConfigurationSection()
    {
        var contentRoot = SignedHost.NewContentRoot();
        Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "exports"));
        await using var host = await SignedHost.StartAsync(
            builder: b =>
            {
                b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["SignedStaticFiles:Folders:exports:RequestPath"] = "/exports",
                    ["SignedStaticFiles:Folders:exports:RootPath"] = "App_Data/exports",
                    ["SignedStaticFiles:Folders:exports:MaxLifetime"] = "00:30:00",
                    ["SignedStaticFiles:Folders:exports:TokenParameterName"] = "t",
                });
                b.Services.AddSignedStaticFiles("exports");
            },
            contentRoot: contentRoot);
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "App_Data", "exports", "e.csv"), "a,b");

        var url = host.Generator.GetSignedUrl("/exports/e.csv", TimeSpan.FromMinutes(30));

        Assert.StartsWith("/exports/e.csv?t=", url, StringComparison.Ordinal);
        Assert.Equal("a,b", await host.Client.GetStringAsync(url));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Generator.GetSignedUrl("/exports/e.csv", TimeSpan.FromMinutes(31)));
    }
}
