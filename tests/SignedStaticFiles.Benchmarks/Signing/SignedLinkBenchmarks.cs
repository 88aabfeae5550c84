using System.Buffers.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Benchmarks.Signing;

/// <summary>
/// B2: minting and validating a link against the raw framework primitive it is built on,
/// <see cref="ITimeLimitedDataProtector"/> Protect/Unprotect of the very same payload bytes (same purpose
/// chain, same key ring). The ratio of each pair is our overhead; the bar is ≤ 1.15.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project tests/SignedStaticFiles.Benchmarks -- --filter '*SignedLinkBenchmarks*'</c>
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(ThreadCpuTimeConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SignedLinkBenchmarks
{
    private const string FilePath = "/protected/kyc/42/front.jpg";

    private string _folder = null!;
    private ServiceProvider _services = null!;
    private ISignedUrlGenerator _generator = null!;
    private SignedLinkProtector _protector = null!;
    private ITimeLimitedDataProtector _raw = null!;
    private SealedLink _link = null!;
    private byte[] _payload = null!;
    private DateTimeOffset _expires;
    private string _token = null!;
    private string _rawToken = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = BenchmarkServices.NewFolder();
        _services = BenchmarkServices.Create(_folder, new NullFileProvider());
        _generator = _services.GetRequiredService<ISignedUrlGenerator>();
        _protector = _services.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0].Protector;
        _raw = _services.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector(SignedLinkProtector.Purposes)
            .ToTimeLimitedDataProtector();

        _expires = DateTimeOffset.UtcNow.AddHours(1);
        _link = new SealedLink { Path = FilePath, LinkId = SealedLinkCodec.NewLinkId(), IssuedAt = DateTimeOffset.UnixEpoch.AddYears(56), Expires = _expires };
        _payload = SealedLinkCodec.Encode(_link);
        _token = _protector.Protect(_link);
        _rawToken = Base64Url.EncodeToString(_raw.Protect(_payload, _expires));

        // Fail loudly rather than measure a refusal.
        if (_protector.Unprotect(_token)?.Path != FilePath || RawUnprotect() != _payload.Length)
        {
            throw new InvalidOperationException("The benchmark tokens do not round-trip.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Mint")]
    public string RawProtect() => Base64Url.EncodeToString(_raw.Protect(_payload, _expires));

    [Benchmark, BenchmarkCategory("Mint")]
    public string ProtectLink() => _protector.Protect(_link);

    [Benchmark, BenchmarkCategory("Mint")]
    public string GetSignedUrl() => _generator.GetSignedUrl(FilePath);

    [Benchmark(Baseline = true), BenchmarkCategory("Validate")]
    public int RawUnprotect() => _raw.Unprotect(Base64Url.DecodeFromChars(_rawToken), out _).Length;

    [Benchmark, BenchmarkCategory("Validate")]
    public string? UnprotectLink() => _protector.Unprotect(_token)?.Path;
}
