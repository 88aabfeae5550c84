using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Signing;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Middleware;

/// <summary>
/// T6 (docs/security-model.md): nothing outside the root, no dot-file and no symbolic link is ever served — even with a genuine
/// token for the malicious path (the worst case: an app that signs raw user input with its own code).
/// </summary>
public sealed class TraversalTests : IAsyncLifetime
{
    private const string Secret = "TOP-SECRET-OUTSIDE-THE-ROOT";
    private SignedHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await SignedHost.StartAsync();
        _host.WriteFile("kyc/a.txt", "allowed");
        _host.WriteFile(".hidden.txt", Secret);
        _host.WriteFile(".git/config", Secret);
        _host.WriteFile("kyc/.hidden.txt", Secret);
        var appData = Path.Combine(_host.ContentRoot, "App_Data");
        File.WriteAllText(Path.Combine(appData, "secret.txt"), Secret);
        File.WriteAllText(Path.Combine(_host.ContentRoot, "secret.txt"), Secret);
        File.WriteAllText(Path.Combine(_host.ContentRoot, "wwwroot", "secret.txt"), Secret);
        File.CreateSymbolicLink(Path.Combine(_host.Root, "link-out.txt"), Path.Combine(appData, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_host.Root, "linkdir"), appData);
        Directory.CreateSymbolicLink(Path.Combine(_host.Root, "etc"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_host.Root, "kyc", "link-in.txt"), Path.Combine(_host.Root, "kyc", "a.txt"));
        _host.WriteFile("kyc/deep/b.txt", "allowed");
        Directory.CreateSymbolicLink(Path.Combine(_host.Root, "kyc", "mid-link"), appData);
        Directory.CreateSymbolicLink(Path.Combine(_host.Root, "kyc", "deep", "deep-link"), appData);
        Directory.CreateSymbolicLink(Path.Combine(_host.Root, "kyc", "inside-dir-link"), Path.Combine(_host.Root, "kyc", "deep"));
        File.CreateSymbolicLink(Path.Combine(_host.Root, "kyc", "dangling.txt"), Path.Combine(appData, "missing.txt"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Request paths as the server sees them (already percent-decoded once).</summary>
    public static TheoryData<string> DecodedPaths => new()
    {
        "/protected/../secret.txt",
        "/protected/../../secret.txt",
        "/protected/kyc/../../secret.txt",
        "/protected/../../../../../../../../etc/passwd",
        "/protected/./kyc/a.txt",
        "/protected/kyc/../kyc/a.txt",
        "/protected/..",
        "/protected/.",
        "/protected/...",
        "/protected/.../secret.txt",
        "/protected/..;/secret.txt",
        "/protected/..\\secret.txt",
        "/protected/kyc\\..\\..\\secret.txt",
        "/protected/\\..\\secret.txt",
        "/protected/C:\\Windows\\win.ini",
        "/protected/\\\\server\\share\\secret.txt",
        "/protected/..%2fsecret.txt",
        "/protected/%2e%2e/secret.txt",
        "/protected/%2e%2e%2fsecret.txt",
        "/protected/%252e%252e/secret.txt",
        "/protected/..%5csecret.txt",
        "/protected/%c0%ae%c0%ae/secret.txt",
        "/protected/.%2e/secret.txt",
        "/protected/%2e./secret.txt",
        "/protected/\uff0e\uff0e/secret.txt",
        "/protected/..\u2215secret.txt",
        "/protected/kyc/a.txt\0.jpg",
        "/protected/kyc/a.txt\0",
        "/protected/\t../secret.txt",
        "/protected/ /../secret.txt",
        "/protected/.hidden.txt",
        "/protected/.git/config",
        "/protected/kyc/.hidden.txt",
        "/protected/link-out.txt",
        "/protected/linkdir/secret.txt",
        "/protected/linkdir/../secret.txt",
        "/protected/etc/passwd",
        "/protected/etc/hostname",
        "/protected/kyc/link-in.txt",
        "/protected/kyc/mid-link/secret.txt",
        "/protected/kyc/deep/deep-link/secret.txt",
        "/protected/kyc/inside-dir-link/b.txt",
        "/protected/kyc/dangling.txt",
        "/protected/kyc/a/.hidden/b.txt",
        "/protected/kyc/a.txt.",
        "/protected/kyc/deep/../a.txt",
        "/protected//etc/passwd",
        "/protected/",
        "/protected/kyc",
        "/protected/kyc/",
        "/protected/kyc/a.txt/",
        "/protected/kyc/a.txt/..",
        "/protected/kyc/a.txt::$DATA",
        "/protected/~/secret.txt",
        "/protected/secret.txt",
        "/protected/wwwroot/secret.txt",
    };

    [Theory]
    [MemberData(nameof(DecodedPaths))]
    public async Task GenuineTokenForATraversalPath_ServesNothingOutsideTheRoot(string path)
    {
        var context = await _host.Server.SendAsync(c =>
        {
            c.Request.Path = new PathString(path);
            c.Request.QueryString = new QueryString("?token=" + MintRaw(path));
        });

        Assert.True(context.Response.StatusCode is 403 or 404, $"{path}: {context.Response.StatusCode}");
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DecodedPaths))]
    public void Generator_RefusesOrKeepsThePathInsideItsSegments(string path)
    {
        // Either the generator refuses to sign the path, or the path is a plain name that the
        // middleware looks up below the root (and the test above proves it serves no secret).
        try
        {
            var url = _host.Generator.GetSignedUrl(path);
            Assert.True(SignedPath.IsSafe(path), $"{path} was signed: {url}");
        }
        catch (ArgumentException)
        {
        }
    }

    /// <summary>Percent-encoded and double-encoded forms, as a browser or proxy could send them.</summary>
    [Theory]
    [InlineData("/protected/%2e%2e/secret.txt")]
    [InlineData("/protected/%2E%2E%2Fsecret.txt")]
    [InlineData("/protected/..%2Fsecret.txt")]
    [InlineData("/protected/kyc/%2e%2e/%2e%2e/secret.txt")]
    [InlineData("/protected/%252e%252e%252fsecret.txt")]
    [InlineData("/protected/%5c..%5csecret.txt")]
    [InlineData("/protected/kyc/a.txt%2500.jpg")]
    [InlineData("/protected/%2ehidden.txt")]
    [InlineData("/protected/%2egit/config")]
    [InlineData("/protected/linkdir%2fsecret.txt")]
    public async Task EncodedTraversal_WithAGenuineTokenForWhatTheServerSees_ServesNoSecret(string rawPath)
    {
        // First learn the path the server decodes, then mint a genuine token for exactly that path.
        string? seen = null;
        var options = _host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SignedStaticFilesOptions>>().Value;
        var previous = options.Events.OnRejected;
        options.Events.OnRejected = e => { seen = e.Path; return Task.CompletedTask; };
        try
        {
            await _host.Client.GetAsync(rawPath);
        }
        finally
        {
            options.Events.OnRejected = previous;
        }

        // Null: the client resolved the dot segments itself and the request never reached /protected.
        var response = await _host.Client.GetAsync(rawPath + "?token=" + MintRaw(seen ?? rawPath));
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{rawPath} → {seen}: {response.StatusCode}");
        Assert.DoesNotContain(Secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainFileInsideTheRoot_IsStillServed()
    {
        var response = await _host.Client.GetAsync(_host.Generator.GetSignedUrl("/protected/kyc/a.txt"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("allowed", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PlainFileTwoFoldersDown_NextToFolderLinks_IsStillServed()
    {
        var response = await _host.Client.GetAsync(_host.Generator.GetSignedUrl("/protected/kyc/deep/b.txt"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("allowed", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Mints a token for any path, bypassing the generator's own refusal.</summary>
    private string MintRaw(string path) => _host.Services.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0].Protector.Protect(new SealedLink
    {
        Path = path,
        LinkId = SealedLinkCodec.NewLinkId(), IssuedAt = DateTimeOffset.UnixEpoch.AddYears(56),
        Expires = _host.Time.GetUtcNow().AddMinutes(5),
    });
}
