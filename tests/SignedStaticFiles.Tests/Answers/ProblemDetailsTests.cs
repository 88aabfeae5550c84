using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Answers;

/// <summary>
/// Refusals go through the app's <see cref="IProblemDetailsService"/> when it registered one: its customisation and
/// the <c>traceId</c> show, the package's status, title and headers stay, and nothing of the request is echoed.
/// </summary>
public sealed class ProblemDetailsTests : IAsyncLifetime
{
    private const string SecretName = "passport-of-alice-4711.txt";
    private SignedHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await SignedHost.StartAsync(builder: b => b.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["app"] = "kyc-portal";
            c.ProblemDetails.Extensions["support"] = "https://support.example/links";
        }));
        _host.WriteFile("a.txt", "a");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, int, string> Refusals => new()
    {
        { "missing", 403, "Signed link required" },
        { "forged", 403, "Invalid link" },
        { "expired", 410, "Link expired" },
        { "not-found", 404, "File not found" },
        { "post", 405, "Method not allowed" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refusal_CarriesTheAppsCustomisationAndTraceId(string kind, int status, string title)
    {
        var url = _host.Generator.GetSignedUrl("/protected/" + (kind == "not-found" ? SecretName : "a.txt"));
        using var request = new HttpRequestMessage(kind == "post" ? HttpMethod.Post : HttpMethod.Get, kind switch
        {
            "missing" => "/protected/" + SecretName,
            "forged" => "/protected/" + SecretName + "?token=forged-token-value-0123456789",
            _ => url,
        });
        if (kind == "expired")
        {
            _host.Time.Advance(TimeSpan.FromHours(2));
        }

        using var response = await _host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(status, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(title, json.RootElement.GetProperty("title").GetString());
        Assert.Equal("kyc-portal", json.RootElement.GetProperty("app").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("traceId").GetString()));
        Assert.DoesNotContain(SecretName, body, StringComparison.Ordinal);
        Assert.DoesNotContain("forged-token", body, StringComparison.Ordinal);
        Assert.DoesNotContain("/protected", body, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        if (status == 405)
        {
            Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
        }
    }

    /// <summary>
    /// An image fetch whose Accept names no JSON type: the app's writer declines, and the package's own problem+json
    /// answers, never an empty body.
    /// </summary>
    [Fact]
    public async Task WriterThatDeclines_FallsBackToThePackagesBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/protected/a.txt");
        request.Headers.Accept.ParseAdd("image/png");

        using var response = await _host.Client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Signed link required", json.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Head_GetsTheStatusWithoutABody()
    {
        using var response = await _host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/protected/a.txt"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task WithoutProblemDetailsService_ThePackagesOwnBody()
    {
        await using var host = await SignedHost.StartAsync();

        using var response = await host.Client.GetAsync("/protected/" + SecretName);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"type\":\"about:blank\",\"title\":\"Signed link required\",\"status\":403,\"detail\":\"This file is served only through a signed link.\"}", body);
    }
}
