using System.Net;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Promises;

/// <summary>
/// Methods compare case-sensitively, as Kestrel does (RFC 9110 §9.1: method names are case-sensitive): "head" is
/// not HEAD. Every other spelling answers 405 with <c>Allow</c>, and the audit records the status the client got.
/// </summary>
public sealed class MethodCaseTests
{
    [Theory]
    [InlineData("head")]
    [InlineData("get")]
    [InlineData("Get")]
    [InlineData("hEAD")]
    [InlineData("POST")]
    [InlineData("PROPFIND")]
    public async Task ValidLink_MethodOtherThanExactlyGetOrHead_Is405_AndTheAuditSaysSo(string method)
    {
        var events = new List<(SignedFileOutcome Outcome, int Status)>();
        await using var host = await SignedHost.StartAsync(o =>
        {
            o.Events.OnServed = c => { events.Add((c.Outcome, c.StatusCode)); return Task.CompletedTask; };
            o.Events.OnRejected = c => { events.Add((c.Outcome, c.StatusCode)); return Task.CompletedTask; };
        });
        host.WriteFile("a.txt", "hello");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
        await EventuallyAsync(() => events.Count == 1); // events run after the answer went out
        Assert.Equal([(SignedFileOutcome.MethodNotAllowed, 405)], events);
    }

    [Fact]
    public async Task ConditionalGet_AuditRecordsThe304TheClientGot()
    {
        var events = new List<(SignedFileOutcome Outcome, int Status)>();
        await using var host = await SignedHost.StartAsync(o =>
            o.Events.OnServed = c => { events.Add((c.Outcome, c.StatusCode)); return Task.CompletedTask; });
        host.WriteFile("a.txt", "hello");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");
        using var first = await host.Client.GetAsync(url);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        await EventuallyAsync(() => events.Count == 2);
        Assert.Equal([(SignedFileOutcome.Served, 200), (SignedFileOutcome.Served, 304)], events);
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }
    }
}
