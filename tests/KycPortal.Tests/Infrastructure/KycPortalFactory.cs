using System.Net;
using KycPortal.Data;
using KycPortal.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KycPortal.Tests.Infrastructure;

/// <summary>
/// The sample app as it runs (Development environment, so the demo seed runs), with a data folder of
/// its own per factory: its own SQLite database, DataProtection key ring and protected folder, all in a
/// temporary directory deleted afterwards. Extra configuration (e.g. a 1-second link lifetime) is given
/// as host settings, which the app reads before it builds.
/// </summary>
public sealed class KycPortalFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public KycPortalFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    internal KycPortalFactory(IReadOnlyDictionary<string, string?> settings, bool captureLogs = false)
    {
        _settings = settings;
        CapturedLogs = captureLogs ? new CapturingLoggerProvider() : null;
        DataFolder = Path.Combine(Path.GetTempPath(), "kycportal-tests", Guid.NewGuid().ToString("N"));
    }

    public string DataFolder { get; }

    /// <summary>Every log line the app wrote, at the levels its own configuration allows; null unless asked for.</summary>
    public CapturingLoggerProvider? CapturedLogs { get; }

    public string ProtectedFolder => Path.Combine(DataFolder, "protected");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("KycPortal:DataPath", DataFolder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (CapturedLogs is { } capture)
        {
            // The app's own logging configuration (appsettings.json) decides what is written.
            builder.ConfigureLogging(logging => logging.AddProvider(capture));
            return;
        }

        // Quiet test hosts: warnings and errors only (the unencrypted test key ring's warning aside).
        builder.ConfigureLogging(logging => logging
            .AddFilter((category, level) => level >= LogLevel.Warning)
            .AddFilter("SignedStaticFiles", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error));
    }

    /// <summary>The real server's address once <see cref="StartKestrel"/> ran; otherwise null (in-memory TestServer).</summary>
    public Uri? KestrelAddress { get; private set; }

    /// <summary>Runs the app on Kestrel at 127.0.0.1 on a free port instead of the in-memory TestServer.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        KestrelAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return KestrelAddress;
    }

    /// <summary>A client that keeps cookies and does not follow redirects (so tests see each 302).</summary>
    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = KestrelAddress ?? new Uri("http://localhost"),
    });

    /// <summary>A client signed in as <paramref name="email"/> with the demo password.</summary>
    public async Task<HttpClient> SignedInClientAsync(string email)
    {
        var client = NewClient();
        await Pages.SignInAsync(client, email, DatabaseSetup.DemoPassword);
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<KycDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<KycDbContext>());
    }

    /// <summary>Every file currently under the protected folder, relative to it.</summary>
    public IReadOnlyList<string> ProtectedFiles() =>
        Directory.Exists(ProtectedFolder)
            ? Directory.GetFiles(ProtectedFolder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(ProtectedFolder, f)).Order().ToList()
            : [];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
