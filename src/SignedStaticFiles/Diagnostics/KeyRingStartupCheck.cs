using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SignedStaticFiles.Diagnostics;

/// <summary>
/// Warns once at startup when the DataProtection key ring will not outlive the process or is private to
/// this machine: every signed link is sealed with that ring, so such links die at restart and are refused
/// by the other nodes of a farm. The message carries the fix.
/// </summary>
/// <remarks>
/// How the framework picks its storage (aspnetcore <c>XmlKeyManager</c>): when
/// <see cref="KeyManagementOptions.XmlRepository"/> is null it falls back to a folder in the user profile
/// (<c>~/.aspnet/DataProtection-Keys</c>, <c>%LOCALAPPDATA%\ASP.NET\DataProtection-Keys</c>), the HKLM
/// registry, or, failing those, memory. Every <c>PersistKeysTo…</c> extension sets
/// <see cref="KeyManagementOptions.XmlRepository"/>, so null means "not persisted by the app". An
/// <see cref="EphemeralDataProtectionProvider"/> registered as the provider never persists anything. A
/// custom <see cref="IKeyManager"/> is the app's own business and is not judged.
/// </remarks>
internal sealed class KeyRingStartupCheck(IServiceProvider services, ILoggerFactory loggerFactory) : IHostedService
{
    internal const string Fix =
        "persist the key ring where every node finds it and give every node the same application name, e.g. "
        + "services.AddDataProtection().SetApplicationName(\"my-app\").PersistKeysToStackExchangeRedis(redis, \"DataProtection-Keys\") "
        + "(package Microsoft.AspNetCore.DataProtection.StackExchangeRedis) or .PersistKeysToFileSystem(new DirectoryInfo(\"/shared/keys\")) on a folder shared by the nodes.";

    internal enum Verdict
    {
        Persisted,
        Ephemeral,
        NotConfigured,
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var verdict = Inspect(
            services.GetService<IDataProtectionProvider>(),
            services.GetService<IOptions<KeyManagementOptions>>()?.Value,
            () => services.GetService<IKeyManager>());
        var logger = loggerFactory.CreateLogger("SignedStaticFiles");
        switch (verdict)
        {
            case Verdict.Ephemeral:
                SignedStaticFilesLog.KeyRingNotPersisted(
                    logger,
                    "The DataProtection key ring is ephemeral (kept in memory only).",
                    "Signed links die when the process restarts and are refused by every other server.",
                    Fix);
                break;
            case Verdict.NotConfigured:
                SignedStaticFilesLog.KeyRingNotPersisted(
                    logger,
                    "The DataProtection key ring has no configured storage: the framework keeps it in a folder of this machine's user profile, or in memory when there is none.",
                    "Signed links are refused by every other server, and die at restart wherever that folder is not persisted (containers).",
                    Fix);
                break;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static Verdict Inspect(IDataProtectionProvider? provider, KeyManagementOptions? keyManagement, Func<IKeyManager?> keyManager)
    {
        if (provider is EphemeralDataProtectionProvider)
        {
            return Verdict.Ephemeral;
        }

        // Only the framework's own key manager falls back to default storage; look it up only then, since
        // building it is what creates the fallback folder.
        return keyManagement is { XmlRepository: null } && keyManager() is XmlKeyManager
            ? Verdict.NotConfigured
            : Verdict.Persisted;
    }
}
