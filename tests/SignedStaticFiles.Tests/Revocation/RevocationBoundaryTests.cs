using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Revocation;
using SignedStaticFiles.Signing;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Revocation;

/// <summary>
/// "Issued until now", to the millisecond of the tokens' issue time, with the clock steered by a
/// <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>: no link minted before the call survives
/// it, and every link minted after it returned works — also within the very millisecond of the revocation.
/// </summary>
public sealed class RevocationBoundaryTests
{
    private static async Task<SignedHost> StartAtAsync(DateTimeOffset instant)
    {
        var host = await SignedHost.StartAsync();
        host.Time.SetUtcNow(instant);
        host.WriteFile("a.txt", "a");
        return host;
    }

    /// <summary>A whole second well ahead of the fake clock's start, so <c>SetUtcNow</c> only moves forward.</summary>
    private static DateTimeOffset WholeSecondAhead() =>
        DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);

    private static ISignedUrlRevoker Revoker(SignedHost host) => host.Services.GetRequiredService<ISignedUrlRevoker>();

    private static async Task<HttpStatusCode> StatusAsync(SignedHost host, string url) => (await host.Client.GetAsync(url)).StatusCode;

    /// <summary>A token for /protected/a.txt with exactly this issue time, sealed by the folder's own protector.</summary>
    private static string LinkIssuedAt(SignedHost host, DateTimeOffset issuedAt)
    {
        var folder = host.Services.GetRequiredService<SignedFolderRegistry>().Folders[0];
        return "/protected/a.txt?token=" + folder.Protector.Protect(new SealedLink
        {
            Path = "/protected/a.txt",
            LinkId = SealedLinkCodec.NewLinkId(),
            IssuedAt = issuedAt,
            Expires = issuedAt.AddMinutes(5),
        });
    }

    [Fact]
    public async Task SameMillisecond_LinkMintedBeforeIsRefused_LinkMintedAfterWorks()
    {
        var second = WholeSecondAhead();
        await using var host = await StartAtAsync(second.AddTicks(3_000)); // .0003 s
        var before = host.Generator.GetSignedUrl("/protected/a.txt");

        host.Time.Advance(TimeSpan.FromTicks(5_000)); // .0008 s: still the same millisecond
        await Revoker(host).RevokeAllAsync();
        var after = host.Generator.GetSignedUrl("/protected/a.txt");

        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(host, before));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, after));
    }

    [Fact]
    public async Task Cutoff_IsTheRevocationsMillisecond_IssuedAtItRefused_OneMillisecondLaterServed()
    {
        var second = WholeSecondAhead();
        await using var host = await StartAtAsync(second.AddTicks(7_000)); // .0007 s
        await Revoker(host).RevokeAllAsync();

        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(host, LinkIssuedAt(host, second.AddMilliseconds(-1))));
        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(host, LinkIssuedAt(host, second)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, LinkIssuedAt(host, second.AddMilliseconds(1))));
    }

    [Fact]
    public async Task SecondRevocationInTheSameMillisecond_RefusesTheLinkMintedBetweenTheTwo()
    {
        var second = WholeSecondAhead();
        await using var host = await StartAtAsync(second);
        await Revoker(host).RevokeAllAsync();
        var between = host.Generator.GetSignedUrl("/protected/a.txt");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, between));

        await Revoker(host).RevokeAllAsync();
        var after = host.Generator.GetSignedUrl("/protected/a.txt");

        Assert.Equal(HttpStatusCode.Gone, await StatusAsync(host, between));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, after));
    }

    [Fact]
    public async Task NextMillisecond_LinksCarryTheClockAgain()
    {
        var second = WholeSecondAhead();
        await using var host = await StartAtAsync(second.AddTicks(9_000));
        await Revoker(host).RevokeUserAsync("alice");
        var list = host.Services.GetRequiredService<RevocationList>();

        Assert.Equal(second.AddMilliseconds(1), list.IssueTime(host.Time.GetUtcNow()));
        host.Time.Advance(TimeSpan.FromTicks(2_000)); // .0011 s
        Assert.Equal(host.Time.GetUtcNow(), list.IssueTime(host.Time.GetUtcNow()));
    }

    /// <summary>
    /// Random interleavings of mints, revocations of every kind and clock steps of 0 to 0.3 ms: every link minted
    /// before a revocation that names it is refused, every other link is served.
    /// </summary>
    [Fact]
    public async Task RandomInterleavings_EveryLinkMintedBeforeAMatchingRevocationRefused_EveryOtherServed()
    {
        var random = new Random(1234);
        await using var host = await StartAtAsync(WholeSecondAhead());
        host.WriteFile("kyc/1/a.txt", "1");
        host.WriteFile("kyc/2/a.txt", "2");
        var revoker = Revoker(host);
        var links = new List<(string Url, string Path, string? User, bool Revoked)>();
        string[] paths = ["/protected/kyc/1/a.txt", "/protected/kyc/2/a.txt", "/protected/a.txt"];
        string?[] users = [null, "alice", "bob"];

        for (var step = 0; step < 400; step++)
        {
            host.Time.Advance(TimeSpan.FromTicks(random.Next(0, 4) * 1_000));
            switch (random.Next(10))
            {
                case 0:
                    await revoker.RevokeAllAsync();
                    links = [.. links.Select(l => l with { Revoked = true })];
                    break;
                case 1:
                    await revoker.RevokeUserAsync("alice");
                    links = [.. links.Select(l => l.User == "alice" ? l with { Revoked = true } : l)];
                    break;
                case 2:
                    await revoker.RevokePathAsync("/protected/kyc/1");
                    links = [.. links.Select(l => l.Path.StartsWith("/protected/kyc/1/", StringComparison.Ordinal) ? l with { Revoked = true } : l)];
                    break;
                default:
                    var path = paths[random.Next(paths.Length)];
                    var user = users[random.Next(users.Length)];
                    links.Add((host.Generator.GetSignedUrl(path, new SignedUrlOptions { UserId = user }), path, user, false));
                    break;
            }
        }

        var list = host.Services.GetRequiredService<RevocationList>();
        var registry = host.Services.GetRequiredService<SignedFolderRegistry>();
        foreach (var (url, _, _, revoked) in links)
        {
            var token = url[(url.IndexOf('=', StringComparison.Ordinal) + 1)..];
            var link = registry.Folders[0].Protector.Unprotect(token)!;
            Assert.Equal(revoked, list.IsRevoked(link));
        }

        Assert.Contains(links, l => l.Revoked);
        Assert.Contains(links, l => !l.Revoked);
    }
}
