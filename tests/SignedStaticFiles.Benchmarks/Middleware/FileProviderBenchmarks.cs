using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.FileProviders;
using SignedStaticFiles.Serving;

namespace SignedStaticFiles.Benchmarks.Middleware;

/// <summary>
/// What the symlink rule (T6) adds to a look-up on disk: the framework's <see cref="PhysicalFileProvider"/>, as
/// UseStaticFiles uses it, against the protected folder's <see cref="RootedFileProvider"/>, for a file at the
/// root and one two folders down. The static-file middleware reads Exists, Length and LastModified.
/// </summary>
[MemoryDiagnoser]
public class FileProviderBenchmarks
{
    private string _root = string.Empty;
    private PhysicalFileProvider _physical = null!;
    private RootedFileProvider _rooted = null!;

    [Params("/10k.bin", "/applicants/a1/10k.bin")]
    public string Path { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("ssf-providers-").FullName;
        File.WriteAllBytes(System.IO.Path.Combine(_root, "10k.bin"), new byte[10_240]);
        Directory.CreateDirectory(System.IO.Path.Combine(_root, "applicants", "a1"));
        File.WriteAllBytes(System.IO.Path.Combine(_root, "applicants", "a1", "10k.bin"), new byte[10_240]);
        _physical = new PhysicalFileProvider(_root);
        _rooted = new RootedFileProvider(_root);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _physical.Dispose();
        _rooted.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public long Physical() => Read(_physical.GetFileInfo(Path));

    [Benchmark]
    public long Rooted() => Read(_rooted.GetFileInfo(Path));

    private static long Read(IFileInfo file) => file.Exists ? file.Length + file.LastModified.UtcTicks : -1;
}
