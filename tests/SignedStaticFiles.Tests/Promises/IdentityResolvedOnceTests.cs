using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Promises;

/// <summary>
/// "Only for this user", and every reader of "who is the viewer" agrees: the user binding, the events (the
/// audit) and the stamp read one principal, resolved once per request, whatever the middleware order
/// (docs/security-model.md: identity confusion).
/// </summary>
public sealed class IdentityResolvedOnceTests
{
    private static Task<SignedHost> StartAsync(bool signedFilesFirst, Action<SignedStaticFilesOptions>? configure = null) =>
        SignedHost.StartAsync(
            configure,
            builder => builder.Services.AddAuthentication(HeaderAuthentication.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, o =>
                    o.ForwardDefaultSelector = c => c.Request.Headers["X-Auth-Scheme"] == SubjectHeaderAuthentication.SchemeName ? SubjectHeaderAuthentication.SchemeName : null)
                .AddScheme<AuthenticationSchemeOptions, SubjectHeaderAuthentication>(SubjectHeaderAuthentication.SchemeName, null),
            app =>
            {
                if (signedFilesFirst)
                {
                    app.UseSignedStaticFiles();
                    app.UseAuthentication();
                }
                else
                {
                    app.UseAuthentication();
                    app.UseSignedStaticFiles();
                }
            });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UnboundLink_SignedInViewer_ServedEventSeesTheViewer_WhateverTheOrder(bool signedFilesFirst)
    {
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartAsync(signedFilesFirst, o => o.Events.OnServed = c =>
        {
            seen.TrySetResult(c.HttpContext.User.FindFirstValue(ClaimTypes.NameIdentifier));
            return Task.CompletedTask;
        });
        host.WriteFile("a.txt", "hello");

        using var request = new HttpRequestMessage(HttpMethod.Get, host.Generator.GetSignedUrl("/protected/a.txt"));
        request.Headers.Add(HeaderAuthentication.Header, "alice");
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", await seen.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ExpiredLink_SignedInViewer_RejectedEventSeesTheViewer_WhateverTheOrder(bool signedFilesFirst)
    {
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartAsync(signedFilesFirst, o => o.Events.OnRejected = c =>
        {
            seen.TrySetResult(c.HttpContext.User.FindFirstValue(ClaimTypes.NameIdentifier));
            return Task.CompletedTask;
        });
        host.WriteFile("a.txt", "hello");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromMinutes(1));
        host.Time.Advance(TimeSpan.FromMinutes(2));

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(HeaderAuthentication.Header, "bob");
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("bob", await seen.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(true, "alice", HttpStatusCode.OK)]
    [InlineData(true, "bob", HttpStatusCode.Forbidden)]
    [InlineData(false, "alice", HttpStatusCode.OK)]
    [InlineData(false, "bob", HttpStatusCode.Forbidden)]
    public async Task BoundLink_CustomUserIdClaimType_IsCheckedAgainstThatClaim(bool signedFilesFirst, string subject, HttpStatusCode expected)
    {
        await using var host = await StartAsync(signedFilesFirst, o => o.UserIdClaimType = "sub");
        host.WriteFile("a.txt", "hello");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { UserId = "alice" });

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(SubjectHeaderAuthentication.Header, subject);
        request.Headers.Add("X-Auth-Scheme", SubjectHeaderAuthentication.SchemeName);
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task BoundLink_CustomUserIdClaimType_NameIdentifierOfTheSameValueDoesNotCount()
    {
        // The principal has NameIdentifier "alice" but its "sub" is "mallory": only the configured claim binds.
        await using var host = await StartAsync(signedFilesFirst: false, o => o.UserIdClaimType = "sub");
        host.WriteFile("a.txt", "hello");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { UserId = "alice" });

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(SubjectHeaderAuthentication.Header, "mallory");
        request.Headers.Add("X-Name-Identifier", "alice");
        request.Headers.Add("X-Auth-Scheme", SubjectHeaderAuthentication.SchemeName);
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>
    /// Issues a <c>sub</c> claim from <c>X-Sub</c> (and a NameIdentifier from <c>X-Name-Identifier</c>), and forwards
    /// <c>X-Auth-Scheme: TestSubject</c> makes the default scheme forward here, so one host tests both claim types.
    /// </summary>
    private sealed class SubjectHeaderAuthentication(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "TestSubject";
        public const string Header = "X-Sub";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(Header, out var subject) || string.IsNullOrEmpty(subject))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var claims = new List<Claim> { new("sub", subject.ToString()) };
            if (Request.Headers.TryGetValue("X-Name-Identifier", out var id))
            {
                claims.Add(new Claim(ClaimTypes.NameIdentifier, id.ToString()));
            }

            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
        }
    }
}
