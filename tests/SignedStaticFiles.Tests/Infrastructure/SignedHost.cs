using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace SignedStaticFiles.Tests.Infrastructure;

/// <summary>
/// The one TestServer factory of the suite: a real WebApplication with a temporary content root
/// (<c>App_Data/protected</c> + <c>wwwroot</c>), a file-system DataProtection key ring of its own, a
/// <see cref="FakeTimeProvider"/>, <c>/protected</c> served by UseSignedStaticFiles and <c>/public</c>
/// served by the framework's UseStaticFiles over the very same folder, for side-by-side comparisons.
/// </summary>
internal sealed class SignedHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsContentRoot;

    private SignedHost(WebApplication app, string contentRoot, bool ownsContentRoot)
    {
        _app = app;
        _ownsContentRoot = ownsContentRoot;
        ContentRoot = contentRoot;
        Server = app.GetTestServer();
        Client = Server.CreateClient();
    }

    public string ContentRoot { get; }
    public string Root => Path.Combine(ContentRoot, "App_Data", "protected");
    public string KeysFolder => Path.Combine(ContentRoot, "keys");
    public TestServer Server { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;
    public FakeTimeProvider Time => (FakeTimeProvider)Services.GetRequiredService<TimeProvider>();
    public ISignedUrlGenerator Generator => Services.GetRequiredService<ISignedUrlGenerator>();

    /// <summary>A fresh temporary content root with the two folders.</summary>
    public static string NewContentRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "ssf-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "App_Data", "protected"));
        Directory.CreateDirectory(Path.Combine(root, "wwwroot"));
        return root;
    }

    public static async Task<SignedHost> StartAsync(
        Action<SignedStaticFilesOptions>? configure = null,
        Action<WebApplicationBuilder>? builder = null,
        Action<WebApplication>? pipeline = null,
        string? contentRoot = null)
    {
        var owns = contentRoot is null;
        contentRoot ??= NewContentRoot();
        var appBuilder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = contentRoot,
            EnvironmentName = "Testing",
        });
        appBuilder.WebHost.UseTestServer();
        appBuilder.Logging.ClearProviders(); // quiet test output; tests that read logs add their own provider
        appBuilder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow));
        appBuilder.Services.AddDataProtection()
            .SetApplicationName("SignedStaticFiles.Tests")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(contentRoot, "keys")));
        appBuilder.Services.AddSignedStaticFiles(configure);
        builder?.Invoke(appBuilder);

        var app = appBuilder.Build();
        if (pipeline is null)
        {
            app.UseSignedStaticFiles();
            app.UseStaticFiles(new StaticFileOptions
            {
                RequestPath = "/public",
                FileProvider = new PhysicalFileProvider(Path.Combine(contentRoot, "App_Data", "protected")),
            });
        }
        else
        {
            pipeline(app);
        }

        await app.StartAsync();
        return new SignedHost(app, contentRoot, owns);
    }

    /// <summary>Writes a file below the protected root and returns its full path.</summary>
    public string WriteFile(string relativePath, byte[] content)
    {
        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public string WriteFile(string relativePath, string content) =>
        WriteFile(relativePath, System.Text.Encoding.UTF8.GetBytes(content));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsContentRoot)
        {
            try { Directory.Delete(ContentRoot, recursive: true); } catch (IOException) { }
        }
    }
}
