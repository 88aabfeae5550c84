using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Middleware;

/// <summary>T4 (docs/security-model.md): a link bound to a user is served to that user only, whatever the middleware order.</summary>
public sealed class UserBindingTests
{
    public enum Order { SignedFilesFirst, AuthenticationFirst }

    private static Task<SignedHost> StartAsync(Order order) => SignedHost.StartAsync(
        builder: b => b.Services.AddAuthentication(HeaderAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null),
        pipeline: app =>
        {
            if (order == Order.AuthenticationFirst)
            {
                app.UseAuthentication();
                app.UseSignedStaticFiles();
            }
            else
            {
                app.UseSignedStaticFiles();
                app.UseAuthentication();
            }
        });

    private static async Task<HttpStatusCode> GetAsync(SignedHost host, string url, string? user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (user is not null)
        {
            request.Headers.Add(HeaderAuthentication.Header, user);
        }

        return (await host.Client.SendAsync(request)).StatusCode;
    }

    [Theory]
    [InlineData(Order.SignedFilesFirst)]
    [InlineData(Order.AuthenticationFirst)]
    public async Task BoundLink_ServedToItsUser_RefusedToOthersAndAnonymous(Order order)
    {
        await using var host = await StartAsync(order);
        host.WriteFile("kyc/42/front.txt", "front");
        var url = host.Generator.GetSignedUrl("/protected/kyc/42/front.txt", new SignedUrlOptions { UserId = "alice" });

        Assert.Equal(HttpStatusCode.OK, await GetAsync(host, url, "alice"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(host, url, "mallory"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(host, url, "Alice"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(host, url, null));
    }

    [Fact]
    public async Task BoundLink_WithoutAnyAuthentication_IsRefused()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { UserId = "alice" });

        var response = await host.Client.GetAsync(url);

        await TokenValidationTests.AssertProblemAsync(response, HttpStatusCode.Forbidden, "Link not valid for this user");
    }

    [Fact]
    public async Task UnboundLink_IsServedToAnyone()
    {
        await using var host = await StartAsync(Order.SignedFilesFirst);
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");

        Assert.Equal(HttpStatusCode.OK, await GetAsync(host, url, null));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(host, url, "bob"));
    }

    [Fact]
    public async Task BoundUser_CannotBeChangedInTheUrl()
    {
        await using var host = await StartAsync(Order.SignedFilesFirst);
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { UserId = "alice" });

        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(host, url + "&user=mallory", "mallory"));
        Assert.DoesNotContain("alice", url, StringComparison.Ordinal);
    }
}
