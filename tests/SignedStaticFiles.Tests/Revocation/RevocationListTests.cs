using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SignedStaticFiles.Revocation;
using SignedStaticFiles.Signing;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Revocation;

/// <summary>The in-memory list on its own: matching, idempotence, compaction, listeners.</summary>
public sealed class RevocationListTests
{
    private static SealedLink Link(string path, string? user = null, DateTimeOffset? issued = null, string? linkId = null) => new()
    {
        Path = path,
        LinkId = linkId ?? SealedLinkCodec.NewLinkId(),
        UserId = user,
        IssuedAt = issued ?? DateTimeOffset.UtcNow.AddDays(-1),
        Expires = DateTimeOffset.MaxValue,
    };

    private static RevocationEntry Entry(RevocationKind kind, string key, DateTimeOffset cutoff) =>
        new(kind, key, cutoff.ToUnixTimeMilliseconds(), cutoff.AddDays(2).ToUnixTimeMilliseconds());

    private static async Task<(SignedHost Host, RevocationList List)> StartAsync(Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? builder = null)
    {
        var host = await SignedHost.StartAsync(builder: builder);
        return (host, host.Services.GetRequiredService<RevocationList>());
    }

    [Theory]
    [InlineData("/protected/kyc/42", "/protected/kyc/42/front.jpg", true)]
    [InlineData("/protected/kyc/42", "/protected/kyc/42/deep/er/x.jpg", true)]
    [InlineData("/protected/kyc/42", "/protected/kyc/42", true)]
    [InlineData("/protected/kyc/42", "/protected/kyc/420/front.jpg", false)]
    [InlineData("/protected/kyc/42", "/protected/kyc/42.jpg", false)]
    [InlineData("/protected/kyc/42", "/protected/kyc/4/2.jpg", false)]
    [InlineData("/protected/kyc/42", "/protected/kyc", false)]
    [InlineData("/protected/kyc/42/front.jpg", "/protected/kyc/42/front.jpg", true)]
    [InlineData("/protected/kyc/42/front.jpg", "/protected/kyc/42/front.jpg.bak", false)]
    [InlineData("/protected/KYC/42", "/protected/kyc/42/a.jpg", true)]
    [InlineData("/protected", "/protected/a.jpg", true)]
    [InlineData("/protected", "/protectedx/a.jpg", false)]
    [InlineData("/protected/ü", "/protected/Ü/a.jpg", true)]
    public async Task PathRevocation_MatchesWholeSegmentsOnly(string revoked, string linkPath, bool matches)
    {
        var (host, list) = await StartAsync();
        await using var _ = host;
        var cutoff = host.Time.GetUtcNow();
        list.Apply(Entry(RevocationKind.Path, revoked, cutoff));

        Assert.Equal(matches, list.IsRevoked(Link(linkPath)));
        Assert.Equal(matches, RevocationList.Matches(Entry(RevocationKind.Path, revoked, cutoff), "AAAAAAAAAAAAAAAA", null, linkPath, Link(linkPath).IssuedAt));
    }

    [Fact]
    public async Task EachKind_MatchesUpToItsCutoffOnly_LinkIdWhateverItsIssueTime()
    {
        var (host, list) = await StartAsync();
        await using var _ = host;
        var cutoff = host.Time.GetUtcNow();
        var linkId = SealedLinkCodec.NewLinkId();
        list.Apply(Entry(RevocationKind.User, "alice", cutoff));
        list.Apply(Entry(RevocationKind.Path, "/protected/kyc", cutoff));
        list.Apply(Entry(RevocationKind.Link, linkId, cutoff));

        Assert.True(list.IsRevoked(Link("/protected/a", "alice", cutoff)));
        Assert.False(list.IsRevoked(Link("/protected/a", "alice", cutoff.AddMilliseconds(1))));
        Assert.False(list.IsRevoked(Link("/protected/a", "bob", cutoff)));
        Assert.True(list.IsRevoked(Link("/protected/kyc/1", null, cutoff)));
        Assert.False(list.IsRevoked(Link("/protected/kyc/1", null, cutoff.AddMilliseconds(1))));
        Assert.True(list.IsRevoked(Link("/protected/b", null, cutoff.AddYears(1), linkId)));
        Assert.False(list.IsRevoked(Link("/protected/b", null, cutoff.AddYears(-1))));

        list.Apply(Entry(RevocationKind.All, "", cutoff));
        Assert.True(list.IsRevoked(Link("/protected/b", null, cutoff)));
        Assert.False(list.IsRevoked(Link("/protected/b", null, cutoff.AddMilliseconds(1))));
    }

    [Fact]
    public async Task Apply_IsIdempotent_KeepsTheLaterCutoff()
    {
        var (host, list) = await StartAsync();
        await using var _ = host;
        var cutoff = host.Time.GetUtcNow();

        Assert.True(list.Apply(Entry(RevocationKind.User, "alice", cutoff)));
        Assert.False(list.Apply(Entry(RevocationKind.User, "alice", cutoff)));
        Assert.False(list.Apply(Entry(RevocationKind.User, "alice", cutoff.AddSeconds(-1))));
        Assert.True(list.Apply(Entry(RevocationKind.User, "alice", cutoff.AddSeconds(1))));
        Assert.Equal(1, list.Count);
        Assert.True(list.IsRevoked(Link("/protected/a", "alice", cutoff.AddSeconds(1))));
    }

    /// <summary>
    /// An entry is kept while a link it matches can be alive: issued at the cutoff with the largest MaxLifetime of
    /// the folders. Until then the link answers 410 "revoked"; afterwards it is expired anyway and the entry is gone.
    /// </summary>
    [Fact]
    public async Task Compaction_DropsEntriesOnceNoMatchingLinkCanBeAlive_BeforeThatTheLinkStaysRevoked()
    {
        await using var host = await SignedHost.StartAsync(o => o.MaxLifetime = TimeSpan.FromHours(2));
        host.WriteFile("a.txt", "a");
        var list = host.Services.GetRequiredService<RevocationList>();
        var url = host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromHours(2));
        await host.Services.GetRequiredService<ISignedUrlRevoker>().RevokePathAsync("/protected/a.txt");
        Assert.Equal(TimeSpan.FromHours(2) + TimeSpan.FromMilliseconds(1), list.Horizon);

        host.Time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromMilliseconds(5));
        Assert.Equal(0, list.Compact());
        Assert.Equal(HttpStatusCode.Gone, (await host.Client.GetAsync(url)).StatusCode);
        Assert.Equal(1, list.Count);

        // The sweep runs on the TimeProvider's timer.
        host.Time.Advance(RevocationList.CompactionInterval);
        Assert.Equal(0, list.Count);
        var expired = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("Link expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_OfAnEntryThatCanNoLongerMatch_IsIgnored()
    {
        var (host, list) = await StartAsync();
        await using var _ = host;
        var old = host.Time.GetUtcNow().AddDays(-3);

        Assert.False(list.Apply(Entry(RevocationKind.User, "alice", old)));
        Assert.Equal(0, list.Count);
    }

    /// <summary>The hook for memories of minted links (link reuse) and stores' caches: told of every revocation once it is enforced.</summary>
    [Fact]
    public async Task Listeners_AreToldOfEveryChange_AFailingListenerDoesNotStopTheRevocation()
    {
        var seen = new RecordingListener();
        var (host, list) = await StartAsync(b =>
        {
            b.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IRevocationListener, FailingListener>());
            b.Services.AddSingleton<IRevocationListener>(seen);
        });
        await using var _ = host;
        host.WriteFile("kyc/42/a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/kyc/42/a.txt");
        var revoker = host.Services.GetRequiredService<ISignedUrlRevoker>();

        await revoker.RevokePathAsync("/protected/kyc/42/");
        await revoker.RevokeUserAsync("alice");

        Assert.Equal([(RevocationKind.Path, "/protected/kyc/42"), (RevocationKind.User, "alice")], seen.Entries.Select(e => (e.Kind, e.Key)));
        Assert.Equal(HttpStatusCode.Gone, (await host.Client.GetAsync(url)).StatusCode);
        Assert.True(RevocationList.Matches(seen.Entries[0], "AAAAAAAAAAAAAAAA", null, "/protected/kyc/42/a.txt", host.Time.GetUtcNow()));
    }

    /// <summary>A console tool or a back-office job revokes without a web host: a plain service collection is enough.</summary>
    [Fact]
    public async Task Revoker_FromAPlainServiceCollection_WithoutAHost_Works()
    {
        var root = Directory.CreateTempSubdirectory("ssf-revoke-").FullName;
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSignedStaticFiles(o => o.RootPath = root);
            await using var provider = services.BuildServiceProvider();
            var revoker = provider.GetRequiredService<ISignedUrlRevoker>();

            await revoker.RevokePathAsync("/protected/kyc/42");
            await revoker.RevokeAllAsync();

            Assert.Equal(2, provider.GetRequiredService<RevocationList>().Count);
            Assert.StartsWith("/protected/kyc/42/a.jpg?token=", provider.GetRequiredService<ISignedUrlGenerator>().GetSignedUrl("/protected/kyc/42/a.jpg"), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed class RecordingListener : IRevocationListener
    {
        public List<RevocationEntry> Entries { get; } = [];

        public void OnRevoked(RevocationEntry revocation) => Entries.Add(revocation);
    }

    private sealed class FailingListener : IRevocationListener
    {
        public void OnRevoked(RevocationEntry revocation) => throw new InvalidOperationException("listener failure");
    }
}
