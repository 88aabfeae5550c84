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
    private readonly string _environment;
    private readonly bool _ownsDataFolder;

    public KycPortalFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <param name="settings">Host settings, read by the app before it builds.</param>
    /// <param name="captureLogs">Keep every log line the app writes (<see cref="CapturedLogs"/>).</param>
    /// <param name="sampleRateLimits">
    /// Keep the sample's own per-client and per-user rate limits. Off by default: the in-memory TestServer gives
    /// every client the same (absent) address, and most tests sign in and upload more often in a minute than a
    /// person does; the rate-limit tests turn it on and use real addresses on Kestrel.
    /// </param>
    /// <param name="environment">The host environment: Development (the default) seeds the demo data.</param>
    /// <param name="dataFolder">
    /// A data folder to use instead of a new temporary one; the caller deletes it (so that a second factory can
    /// start on what a first one left).
    /// </param>
    internal KycPortalFactory(
        IReadOnlyDictionary<string, string?> settings,
        bool captureLogs = false,
        bool sampleRateLimits = false,
        string environment = "Development",
        string? dataFolder = null)
    {
        _environment = environment;
        _ownsDataFolder = dataFolder is null;
        var all = new Dictionary<string, string?>(settings);
        if (!sampleRateLimits)
        {
            all.TryAdd("KycPortal:RateLimits:SignInPermitLimit", "100000");
            all.TryAdd("KycPortal:RateLimits:UploadPermitLimit", "100000");
        }

        _settings = all;
        CapturedLogs = captureLogs ? new CapturingLoggerProvider() : null;
        DataFolder = dataFolder ?? NewDataFolder();
    }

    public string DataFolder { get; }

    /// <summary>A new, not yet existing, temporary folder path for the app's data.</summary>
    public static string NewDataFolder() => Path.Combine(Path.GetTempPath(), "kycportal-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Every log line the app wrote, at the levels its own configuration allows; null unless asked for.</summary>
    public CapturingLoggerProvider? CapturedLogs { get; }

    public string ProtectedFolder => Path.Combine(DataFolder, "protected");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
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

    /// <summary>
    /// A client of the Kestrel server (<see cref="StartKestrel"/>) whose connections come from
    /// <paramref name="localAddress"/> (any 127.x.y.z: the whole range is loopback), so the server sees
    /// different clients. Keeps cookies, does not follow redirects.
    /// </summary>
    public HttpClient NewClientFrom(IPAddress localAddress)
    {
        var address = KestrelAddress ?? throw new InvalidOperationException("Call StartKestrel first.");
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(localAddress, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = address };
    }

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
        if (!_ownsDataFolder)
        {
            return;
        }

        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
