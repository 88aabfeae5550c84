using System.Net;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Middleware;

public sealed class SmokeTests
{
    [Fact]
    public async Task SignedLink_ServesFile_UnsignedRequest_Returns403()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("kyc/42/front.txt", "hello");

        var url = host.Generator.GetSignedUrl("~/protected/kyc/42/front.txt");
        var ok = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("hello", await ok.Content.ReadAsStringAsync());

        var refused = await host.Client.GetAsync("/protected/kyc/42/front.txt");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }
}
