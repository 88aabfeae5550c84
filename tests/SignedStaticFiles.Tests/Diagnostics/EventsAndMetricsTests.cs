using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Diagnostics;

/// <summary>The audit hooks and the meter: every request of the path is reported once, with its outcome.</summary>
public sealed class EventsAndMetricsTests
{
    [Fact]
    public async Task Events_ReportPathOutcomeBoundUserAndLinkId_NeverTheToken()
    {
        var events = new List<(string Kind, string Path, SignedFileOutcome Outcome, int Status, string? User, string? LinkId)>();
        await using var host = await SignedHost.StartAsync(
            o =>
            {
                o.Events.OnServed = e => { events.Add(("served", e.Path, e.Outcome, e.StatusCode, e.BoundUserId, e.LinkId)); return Task.CompletedTask; };
                o.Events.OnRejected = e => { events.Add(("rejected", e.Path, e.Outcome, e.StatusCode, e.BoundUserId, e.LinkId)); return Task.CompletedTask; };
            },
            builder: b => b.Services.AddAuthentication(HeaderAuthentication.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null));
        host.WriteFile("kyc/a.txt", "a");

        var bound = host.Generator.GetSignedUrl("/protected/kyc/a.txt", new SignedUrlOptions { UserId = "alice" });
        using (var asAlice = new HttpRequestMessage(HttpMethod.Get, bound))
        {
            asAlice.Headers.Add(HeaderAuthentication.Header, "alice");
            await host.Client.SendAsync(asAlice);
        }

        await host.Client.GetAsync(bound);
        await host.Client.GetAsync("/protected/kyc/a.txt");
        await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/kyc/missing.txt"));

        Assert.Collection(events,
            e => Assert.Equal(("served", "/protected/kyc/a.txt", SignedFileOutcome.Served, 200, "alice"), (e.Kind, e.Path, e.Outcome, e.Status, e.User)),
            e => Assert.Equal(("rejected", "/protected/kyc/a.txt", SignedFileOutcome.WrongUser, 403, "alice"), (e.Kind, e.Path, e.Outcome, e.Status, e.User)),
            e => Assert.Equal(("rejected", SignedFileOutcome.MissingToken, 403, (string?)null), (e.Kind, e.Outcome, e.Status, e.LinkId)),
            e => Assert.Equal(("rejected", SignedFileOutcome.NotFound, 404), (e.Kind, e.Outcome, e.Status)));
        Assert.Equal(16, events[0].LinkId!.Length);
        Assert.Equal(events[0].LinkId, events[1].LinkId);
        Assert.DoesNotContain(events[0].LinkId!, bound, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Meter_CountsRequestsByOutcome_AndRecordsDurations()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "a");
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        using var requests = new MetricCollector<long>(factory, "SignedStaticFiles", "signedstaticfiles.requests");
        using var durations = new MetricCollector<double>(factory, "SignedStaticFiles", "signedstaticfiles.request.duration");

        await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/a.txt"));
        await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/a.txt"));
        await host.Client.GetAsync("/protected/a.txt?token=forged");

        var byOutcome = requests.GetMeasurementSnapshot()
            .GroupBy(m => (string)m.Tags["outcome"]!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(new Dictionary<string, long> { ["served"] = 2, ["invalid_token"] = 1 }, byOutcome);
        Assert.Equal(3, durations.GetMeasurementSnapshot().Count);
        Assert.All(durations.GetMeasurementSnapshot(), m => Assert.True(m.Value > 0));
    }
}
