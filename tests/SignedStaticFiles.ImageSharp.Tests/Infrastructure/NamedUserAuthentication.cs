using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SignedStaticFiles.ImageSharp.Tests.Infrastructure;

/// <summary>
/// A test authentication scheme: <c>X-Test-User</c> is the user id, <c>X-Test-Name</c> (percent-encoded, any
/// script) the display name claim.
/// </summary>
internal sealed class NamedUserAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestNamedUser";
    public const string UserHeader = "X-Test-User";
    public const string NameHeader = "X-Test-Name";

    public static void Add(IServiceCollection services) =>
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, NamedUserAuthentication>(SchemeName, null);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(UserHeader, out var user) || string.IsNullOrEmpty(user))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        List<Claim> claims = [new Claim(ClaimTypes.NameIdentifier, user.ToString())];
        if (Request.Headers.TryGetValue(NameHeader, out var name) && !string.IsNullOrEmpty(name))
        {
            claims.Add(new Claim(ClaimTypes.Name, Uri.UnescapeDataString(name.ToString())));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
