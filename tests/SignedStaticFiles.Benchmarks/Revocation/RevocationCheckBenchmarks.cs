using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Benchmarks.Middleware;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Revocation;
using SignedStaticFiles.Serving;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Benchmarks.Revocation;

/// <summary>
/// B7 (docs/performance.md) in the micro: what holding revocations adds to the request decision. The whole decision of a repeated link
/// (the middleware as the app runs it, as in <see cref="RequestDecisionBenchmarks"/>), and the revocation check on
/// its own, with none and with 100,000 revocations held (a third each: link ids, users, folders; none matching).
/// The link is bound to a user and four segments deep, so every lookup runs: the timestamp, the link id, the user,
/// one per path segment. The bar: the decision grows by at most 1 µs.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project tests/SignedStaticFiles.Benchmarks -- --filter '*RevocationCheckBenchmarks*'</c>
/// (quiet machine; <c>SSF_BENCH_CLOCK=thread-cpu</c> on shared cores). Smoke test: add <c>--job Dry</c>.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(ThreadCpuTimeConfig))]
public class RevocationCheckBenchmarks
{
    private const string FilePath = "/protected/kyc/7/front.bin";
    private const string UserId = "applicant-7";

    private string _folder = null!;
    private ServiceProvider _services = null!;
    private RequestDelegate _signed = null!;
    private RevocationList _revocations = null!;
    private SealedLink _link = null!;
    private QueryString _repeated;

    /// <summary>How many revocations are held.</summary>
    [Params(0, 100_000)]
    public int Held { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = BenchmarkServices.NewFolder();
        var files = new InMemoryFileProvider(new Dictionary<string, byte[]>
        {
            ["/kyc/7/front.bin"] = new byte[10 * 1024],
        });
        _services = BenchmarkServices.Create(_folder, files);
        RequestDelegate notFound = static context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        };
        _signed = _services.GetRequiredService<SignedFileServer>().CreateMiddleware(notFound);
        _revocations = _services.GetRequiredService<RevocationList>();

        var revoker = _services.GetRequiredService<ISignedUrlRevoker>();
        for (var i = 0; i < Held; i++)
        {
            var key = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var revocation = (i % 3) switch
            {
                0 => revoker.RevokeLinkAsync(SealedLinkCodec.NewLinkId()),
                1 => revoker.RevokeUserAsync("user-" + key),
                _ => revoker.RevokePathAsync("/protected/revoked/" + key),
            };
            revocation.AsTask().GetAwaiter().GetResult();
        }

        // Minted after the revocations: none matches it, every lookup runs and misses.
        var url = _services.GetRequiredService<ISignedUrlGenerator>().GetSignedUrl(FilePath, new SignedUrlOptions { UserId = UserId, Lifetime = TimeSpan.FromHours(1) });
        _repeated = new QueryString(url[url.IndexOf('?', StringComparison.Ordinal)..]);
        _link = _services.GetRequiredService<SignedFolderRegistry>().Folders[0].Protector.Unprotect(url.AsSpan(url.IndexOf('=', StringComparison.Ordinal) + 1))!;
        if (_revocations.Count != Held || _revocations.Judge(_link) != SignedFileOutcome.Served || SignedRepeatedLink() != 200)
        {
            throw new InvalidOperationException("The setup is not what the benchmark claims to measure.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The revocation check alone, as the decision calls it.</summary>
    [Benchmark]
    public SignedFileOutcome RevocationCheck() => _revocations.Judge(_link);

    /// <summary>The whole decision and answer of a repeated, user-bound link (the viewer is that user).</summary>
    [Benchmark]
    public int SignedRepeatedLink()
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.User = Viewer;
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = FilePath;
        context.Request.QueryString = _repeated;
        var task = _signed(context);
        if (!task.IsCompletedSuccessfully)
        {
            task.GetAwaiter().GetResult();
        }

        return context.Response.StatusCode;
    }

    private static readonly System.Security.Claims.ClaimsPrincipal Viewer = new(new System.Security.Claims.ClaimsIdentity(
        [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, UserId)], "benchmark"));
}
