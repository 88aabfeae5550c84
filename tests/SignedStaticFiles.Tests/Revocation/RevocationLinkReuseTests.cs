using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Revocation;

/// <summary>
/// With <see cref="SignedStaticFilesOptions.LinkReuseWindow"/> on, a re-mint returns the URL minted before; after a
/// revocation it must never return a revoked one: every revocation empties the memory of minted links.
/// </summary>
public sealed class RevocationLinkReuseTests
{
    public enum Kind { Link, User, Path, All }

    [Theory]
    [InlineData(Kind.Link)]
    [InlineData(Kind.User)]
    [InlineData(Kind.Path)]
    [InlineData(Kind.All)]
    public async Task AfterARevocation_ReMintInsideTheWindow_ReturnsANewUrlThatWorks(Kind kind)
    {
        await using var host = await SignedHost.StartAsync(o => o.LinkReuseWindow = TimeSpan.FromMinutes(1));
        host.WriteFile("kyc/42/a.txt", "a");
        var options = new SignedUrlOptions { UserId = "alice", Lifetime = TimeSpan.FromMinutes(5) };
        var first = host.Generator.GetSignedUrl("/protected/kyc/42/a.txt", options);
        Assert.Equal(first, host.Generator.GetSignedUrl("/protected/kyc/42/a.txt", options));

        // Bound to alice and nobody signed in: 403 while valid; the revocation check runs before the user check, so 410 once revoked.
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.GetAsync(first)).StatusCode);
        var linkId = host.Services.GetRequiredService<global::SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0].Protector
            .Unprotect(first.AsSpan(first.IndexOf('=', StringComparison.Ordinal) + 1))!.LinkId;
        var revoker = host.Services.GetRequiredService<ISignedUrlRevoker>();
        await (kind switch
        {
            Kind.Link => revoker.RevokeLinkAsync(linkId),
            Kind.User => revoker.RevokeUserAsync("alice"),
            Kind.Path => revoker.RevokePathAsync("/protected/kyc/42"),
            _ => revoker.RevokeAllAsync(),
        });

        var after = host.Generator.GetSignedUrl("/protected/kyc/42/a.txt", options);
        Assert.NotEqual(first, after);
        Assert.Equal(HttpStatusCode.Gone, (await host.Client.GetAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.GetAsync(after)).StatusCode); // not revoked: on to the user check
    }
}
