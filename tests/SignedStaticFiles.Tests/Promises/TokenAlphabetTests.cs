using System.Net;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Promises;

/// <summary>
/// A token has exactly one spelling: any character outside base64url (whitespace that a lenient decoder would
/// skip, padding, '+' or '/' of plain base64) makes it invalid (docs/security-model.md: token malleability).
/// </summary>
public sealed class TokenAlphabetTests
{
    public static TheoryData<string, int> Insertions()
    {
        var data = new TheoryData<string, int>();
        foreach (var insert in new[] { "%20", "%0A", "%0D%0A", "%09", "+", "%2B", "%3D", "=", "%2F", "%00", "%C2%A0", "%0B", "%0C" })
        {
            foreach (var position in new[] { 0, 7, -1 })
            {
                data.Add(insert, position);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Insertions))]
    public async Task GenuineToken_WithAnInsertedCharacter_Is403(string insert, int position)
    {
        await using var host = await SignedHost.StartAsync();
        host.WriteFile("a.txt", "hello");
        var url = host.Generator.GetSignedUrl("/protected/a.txt");
        var split = url.IndexOf("token=", StringComparison.Ordinal) + "token=".Length;
        var token = url[split..];
        var at = position < 0 ? token.Length : position;
        var tampered = url[..split] + token[..at] + insert + token[at..];

        using var genuine = await host.Client.GetAsync(url);
        using var response = await host.Client.GetAsync(tampered);

        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
