using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Revocation;
using SignedStaticFiles.Signing;
using SignedStaticFiles.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SignedStaticFiles.Tests.Revocation;

/// <summary>
/// 100,000 revocations held, of each kind: decisions stay right, and the memory they take is measured and reported
/// (docs/revocation.md quotes it). The time of the check is a benchmark (RevocationCheckBenchmarks), not a test.
/// Runs alone: the memory figure is read from the process's heap, which other tests would disturb.
/// </summary>
[Collection(nameof(RevocationScaleTests))]
[CollectionDefinition(nameof(RevocationScaleTests), DisableParallelization = true)]
public sealed class RevocationScaleTests(ITestOutputHelper output)
{
    private const int Held = 100_000;

    public enum Kind { Link, User, Path }

    [Theory]
    [InlineData(Kind.Link)]
    [InlineData(Kind.User)]
    [InlineData(Kind.Path)]
    public async Task HundredThousandRevocations_DecisionsStayRight_MemoryMeasured(Kind kind)
    {
        await using var host = await SignedHost.StartAsync(builder: b => b.Services
            .AddAuthentication(HeaderAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null));
        host.WriteFile("kyc/7/a.txt", "a");
        host.WriteFile("kyc/100007/a.txt", "b");
        var revoker = host.Services.GetRequiredService<ISignedUrlRevoker>();
        var list = host.Services.GetRequiredService<RevocationList>();
        var bound = host.Generator.GetSignedUrl("/protected/kyc/7/a.txt", new SignedUrlOptions { UserId = "user-7" });
        var kept = host.Generator.GetSignedUrl("/protected/kyc/100007/a.txt", new SignedUrlOptions { UserId = "user-100007" });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, kept, "user-100007")).StatusCode);

        // Keys as an app has them: link ids from the audit trail, user ids, one folder per applicant. Made inside
        // the measured window, as the list keeps them: the figure includes the strings.
        var keys = new string[Held];
        var before = HeapBytes();
        for (var i = 0; i < Held; i++)
        {
            keys[i] = kind switch
            {
                Kind.Link => SealedLinkCodec.NewLinkId(),
                Kind.User => "user-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "/protected/kyc/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        foreach (var key in keys)
        {
            await (kind switch
            {
                Kind.Link => revoker.RevokeLinkAsync(key),
                Kind.User => revoker.RevokeUserAsync(key),
                _ => revoker.RevokePathAsync(key),
            });
        }

        var held = HeapBytes() - before;
        output.WriteLine($"{Held:N0} {kind} revocations held: {held:N0} bytes ({held / (double)Held:F0} bytes each, keys included)");
        Assert.Equal(Held, list.Count);
        Assert.InRange(held, 1, 64L * 1024 * 1024);

        if (kind != Kind.Link)
        {
            Assert.Equal(HttpStatusCode.Gone, (await GetAsync(host, bound, "user-7")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, kept, "user-100007")).StatusCode);
        GC.KeepAlive(keys);
    }

    private static async Task<HttpResponseMessage> GetAsync(SignedHost host, string url, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(HeaderAuthentication.Header, user);
        return await host.Client.SendAsync(request);
    }

    private static long HeapBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
