using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SignedStaticFiles.Diagnostics;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Diagnostics;

/// <summary>T11 (docs/security-model.md; the warning: docs/diagnostics.md): a key ring that does not outlive the process, or stays on one machine, is reported at startup.</summary>
public sealed class KeyRingStartupCheckTests
{
    private const int KeyRingWarning = 52;

    [Fact]
    public async Task PersistedKeyRing_NoWarning()
    {
        await using var host = await SignedHost.StartAsync(builder: b => b.Services.AddFakeLogging());

        Assert.DoesNotContain(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == KeyRingWarning);
    }

    [Fact]
    public async Task EphemeralProvider_WarnsOnceAtStartup_WithTheFix()
    {
        await using var host = await SignedHost.StartAsync(builder: b =>
        {
            b.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
            b.Services.AddFakeLogging();
        });

        var warning = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == KeyRingWarning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("ephemeral", warning.Message, StringComparison.Ordinal);
        Assert.Contains("restart", warning.Message, StringComparison.Ordinal);
        Assert.Contains("PersistKeysToStackExchangeRedis", warning.Message, StringComparison.Ordinal);
        Assert.Contains("SetApplicationName", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_NoRepositoryWithFrameworkKeyManager_IsNotConfigured()
    {
        using var keys = new TempFolder();
        using var provider = new ServiceCollection().AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(keys.Path)).Services.BuildServiceProvider();
        var frameworkKeyManager = provider.GetRequiredService<IKeyManager>();
        Assert.IsType<XmlKeyManager>(frameworkKeyManager);

        var verdict = KeyRingStartupCheck.Inspect(
            provider.GetRequiredService<IDataProtectionProvider>(), new KeyManagementOptions(), () => frameworkKeyManager);

        Assert.Equal(KeyRingStartupCheck.Verdict.NotConfigured, verdict);
    }

    [Fact]
    public void Inspect_ConfiguredRepository_IsPersisted_AndKeyManagerIsNotBuilt()
    {
        using var keys = new TempFolder();
        using var provider = new ServiceCollection().AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(keys.Path)).Services.BuildServiceProvider();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<KeyManagementOptions>>().Value;

        var verdict = KeyRingStartupCheck.Inspect(
            provider.GetRequiredService<IDataProtectionProvider>(), options, () => throw new InvalidOperationException("must not be asked"));

        Assert.Equal(KeyRingStartupCheck.Verdict.Persisted, verdict);
    }

    [Fact]
    public void Inspect_CustomKeyManager_IsNotJudged()
    {
        Assert.Equal(
            KeyRingStartupCheck.Verdict.Persisted,
            KeyRingStartupCheck.Inspect(null, new KeyManagementOptions(), () => null));
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ssf-keys-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
