using System.Net;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Promises;

/// <summary>
/// "Works once" means once DELIVERED: a single-use link is used up only by an answer that delivers the file;
/// any answer that does not (404 of a file not written yet, of a directory, of an unknown type) gives the use
/// back (docs/security-model.md: single-use replay and burn).
/// </summary>
public sealed class SingleUseOnlyOnDeliveryTests
{
    [Fact]
    public async Task FileNotWrittenYet_404_ThenWritten_200_Then410()
    {
        await using var host = await SignedHost.StartAsync();
        var url = host.Generator.GetSignedUrl("/protected/later.txt", new SignedUrlOptions { SingleUse = true });

        using (var before = await host.Client.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        host.WriteFile("later.txt", "now it exists");
        using (var delivered = await host.Client.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
            Assert.Equal("now it exists", await delivered.Content.ReadAsStringAsync());
        }

        using var replay = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Gone, replay.StatusCode);
    }

    [Theory]
    [InlineData("folder")]
    [InlineData("unknown.type-nobody-knows")]
    public async Task NotDeliverable_404_LeavesTheLinkUsable(string name)
    {
        await using var host = await SignedHost.StartAsync();
        if (name == "folder")
        {
            Directory.CreateDirectory(Path.Combine(host.Root, name));
        }
        else
        {
            host.WriteFile(name, "bytes of an unknown type");
        }

        var url = host.Generator.GetSignedUrl("/protected/" + name, new SignedUrlOptions { SingleUse = true });
        for (var i = 0; i < 3; i++)
        {
            using var response = await host.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Head_NeverConsumes_GetThenDelivers_ThenHeadSays410()
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "hello");
        var url = host.Generator.GetSignedUrl("/protected/a.txt", new SignedUrlOptions { SingleUse = true });

        for (var i = 0; i < 3; i++)
        {
            using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        using (var get = await host.Client.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        }

        using var after = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.Gone, after.StatusCode);
    }
}
