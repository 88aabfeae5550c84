using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SignedStaticFiles.Serving;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Benchmarks.Middleware;

/// <summary>
/// The whole accept/refuse decision of one request, with no I/O: the middleware as the app runs it,
/// over an in-memory file (10 KB) answered into <see cref="Stream.Null"/>. The baseline is the
/// framework's own <see cref="StaticFileMiddleware"/> answering the same file at <c>/public</c>.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project tests/SignedStaticFiles.Benchmarks -- --filter '*RequestDecisionBenchmarks*'</c>
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(ThreadCpuTimeConfig))]
public class RequestDecisionBenchmarks
{
    private const string FilePath = "/protected/docs/file.bin";

    /// <summary>More distinct links than any cache of validated tokens holds: every request decodes.</summary>
    private const int FreshLinkCount = 16_384;

    private string _folder = null!;
    private ServiceProvider _services = null!;
    private RequestDelegate _signed = null!;
    private RequestDelegate _static = null!;
    private QueryString _repeated;
    private QueryString[] _fresh = null!;
    private int _next;
    private QueryString _tampered;
    private QueryString _expired;

    [GlobalSetup]
    public void Setup()
    {
        _folder = BenchmarkServices.NewFolder();
        var files = new InMemoryFileProvider(new Dictionary<string, byte[]>
        {
            ["/docs/file.bin"] = new byte[10 * 1024],
        });
        _services = BenchmarkServices.Create(_folder, files);

        RequestDelegate notFound = static context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        };
        _signed = _services.GetRequiredService<SignedFileServer>().CreateMiddleware(notFound);
        _static = new StaticFileMiddleware(
            notFound,
            _services.GetRequiredService<IWebHostEnvironment>(),
            Options.Create(new StaticFileOptions { RequestPath = "/public", FileProvider = files }),
            NullLoggerFactory.Instance).Invoke;

        var generator = _services.GetRequiredService<ISignedUrlGenerator>();
        _repeated = QueryOf(generator.GetSignedUrl(FilePath, TimeSpan.FromHours(1)));
        _fresh = new QueryString[FreshLinkCount];
        for (var i = 0; i < _fresh.Length; i++)
        {
            _fresh[i] = QueryOf(generator.GetSignedUrl(FilePath, TimeSpan.FromHours(1)));
        }

        // One character changed in the middle of the ciphertext: a forgery (403).
        var token = _repeated.Value!["?token=".Length..].ToCharArray();
        token[token.Length / 2] = token[token.Length / 2] == 'A' ? 'B' : 'A';
        _tampered = new QueryString("?token=" + new string(token));

        var protector = _services.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0].Protector;
        _expired = new QueryString("?token=" + protector.Protect(new SealedLink
        {
            Path = FilePath,
            LinkId = SealedLinkCodec.NewLinkId(), IssuedAt = DateTimeOffset.UnixEpoch.AddYears(56),
            Expires = DateTimeOffset.UtcNow.AddMinutes(-1),
        }));

        Check(StaticFile(), 200);
        Check(SignedRepeatedLink(), 200);
        Check(SignedFreshLink(), 200);
        Check(RefusedTampered(), 403);
        Check(RefusedExpired(), 410);
        Check(RefusedMissingToken(), 403);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public int StaticFile() => Run(_static, "/public/docs/file.bin", QueryString.Empty);

    [Benchmark]
    public int SignedRepeatedLink() => Run(_signed, FilePath, _repeated);

    [Benchmark]
    public int SignedFreshLink()
    {
        var query = _fresh[_next];
        _next = (_next + 1) % _fresh.Length;
        return Run(_signed, FilePath, query);
    }

    [Benchmark]
    public int RefusedTampered() => Run(_signed, FilePath, _tampered);

    [Benchmark]
    public int RefusedExpired() => Run(_signed, FilePath, _expired);

    [Benchmark]
    public int RefusedMissingToken() => Run(_signed, FilePath, QueryString.Empty);

    private int Run(RequestDelegate app, string path, QueryString query)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = path;
        context.Request.QueryString = query;
        var task = app(context);
        if (!task.IsCompletedSuccessfully)
        {
            task.GetAwaiter().GetResult();
        }

        return context.Response.StatusCode;
    }

    private static QueryString QueryOf(string url) => new(url[url.IndexOf('?', StringComparison.Ordinal)..]);

    private static void Check(int status, int expected)
    {
        if (status != expected)
        {
            throw new InvalidOperationException($"Expected {expected}, got {status}.");
        }
    }
}
