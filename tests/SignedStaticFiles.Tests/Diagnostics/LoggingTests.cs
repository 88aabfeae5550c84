using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Diagnostics;

/// <summary>T9 (docs/security-model.md): no token text reaches any log line, at any level, from the package or the framework it drives.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task NoTokenTextReachesAnyLogLine()
    {
        var collector = new FakeLogCollector();
        await using var host = await SignedHost.StartAsync(builder: b =>
        {
            b.Logging.ClearProviders();
            b.Logging.SetMinimumLevel(LogLevel.Trace);
            b.Logging.AddProvider(new FakeLoggerProvider(collector));
            // The host's own "Request starting GET http://…?token=…" line prints the query string;
            // docs/diagnostics.md tells apps to raise this one category, as the sample does. Everything else stays at Trace.
            b.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
            b.Services.AddAuthentication(HeaderAuthentication.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        });
        host.WriteFile("a.txt", "a");

        var tokens = new List<string>();
        async Task<HttpStatusCode> Get(string url, string? user = null)
        {
            tokens.Add(url[(url.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (user is not null)
            {
                request.Headers.Add(HeaderAuthentication.Header, user);
            }

            return (await host.Client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Get(host.Generator.GetSignedUrl("/protected/a.txt")));
        Assert.Equal(HttpStatusCode.NotFound, await Get(host.Generator.GetSignedUrl("/protected/missing.txt")));
        Assert.Equal(HttpStatusCode.Forbidden, await Get(host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { UserId = "alice" }), "bob"));
        var wrongPath = host.Generator.GetSignedUrl("/protected/a.txt");
        Assert.Equal(HttpStatusCode.Forbidden, await Get("/protected/b.txt?token=" + wrongPath[(wrongPath.IndexOf('=') + 1)..]));
        Assert.Equal(HttpStatusCode.Forbidden, await Get("/protected/a.txt?token=" + new string('Q', 300)));
        var expiring = host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromSeconds(1));
        host.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Gone, await Get(expiring));

        var records = collector.GetSnapshot();
        Assert.Contains(records, r => r.Category == "SignedStaticFiles");
        Assert.Contains(records, r => r.Category?.StartsWith("Microsoft.AspNetCore.StaticFiles", StringComparison.Ordinal) == true);
        foreach (var record in records)
        {
            var text = string.Join("\n", record.Message, record.Exception?.ToString(),
                string.Join("\n", record.StructuredState?.Select(kv => kv.Value) ?? Enumerable.Empty<string?>()));
            foreach (var token in tokens)
            {
                Assert.DoesNotContain(token[..24], text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Refusals_AreLoggedWithAStableEventId_PathAndOutcome()
    {
        var collector = new FakeLogCollector();
        await using var host = await SignedHost.StartAsync(builder: b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Trace);
            b.Logging.AddProvider(new FakeLoggerProvider(collector));
        });
        host.WriteFile("a.txt", "a");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", TimeSpan.FromSeconds(1));
        host.Time.Advance(TimeSpan.FromSeconds(5));

        await host.Client.GetAsync(url);

        var record = Assert.Single(collector.GetSnapshot(), r => r.Category == "SignedStaticFiles");
        Assert.Equal(2, record.Id.Id);
        Assert.Equal(LogLevel.Information, record.Level);
        Assert.Contains("/protected/a.txt", record.Message, StringComparison.Ordinal);
        Assert.Contains("Expired", record.Message, StringComparison.Ordinal);
    }
}
