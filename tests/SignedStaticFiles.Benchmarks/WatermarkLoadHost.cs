using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using SignedStaticFiles.ImageSharp.Engine;
using SignedStaticFiles.Variants;

namespace SignedStaticFiles.Benchmarks;

/// <summary>
/// The Kestrel host driven by <c>wrk-watermark.sh</c> (B3, cached variant vs plain static) and
/// <c>b4-watermark.sh</c> (B4, 32 concurrent cold renders of 12 MP JPEGs). Serves one folder as
/// <c>/public</c> (UseStaticFiles) and <c>/protected</c> (UseSignedStaticFiles, watermark Always), writes
/// the images it needs, and prints signed links to a file.
/// Usage: dotnet run -c Release --project tests/SignedStaticFiles.Benchmarks -- watermark-host
///        --urls http://127.0.0.1:5190 --root /tmp/wm --links /tmp/wm/links.txt [--b4 32] [--setup-only]
/// </summary>
internal static class WatermarkLoadHost
{
    public static async Task RunAsync(string[] args)
    {
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var urls = Arg("--urls", "http://127.0.0.1:5190");
        var root = Path.GetFullPath(Arg("--root", Path.Combine(Path.GetTempPath(), "ssf-watermark-bench")));
        var linksFile = Arg("--links", Path.Combine(root, "links.txt"));
        var b4 = int.Parse(Arg("--b4", "0"), System.Globalization.CultureInfo.InvariantCulture);
        var files = Path.Combine(root, "files");
        Directory.CreateDirectory(files);

        var photo = Path.Combine(files, "photo.jpg");
        if (!File.Exists(photo))
        {
            await File.WriteAllBytesAsync(photo, SyntheticPhoto.Jpeg(2000, 1300));
        }

        for (var i = 0; i < b4; i++)
        {
            var big = Path.Combine(files, $"big-{i:00}.jpg");
            if (!File.Exists(big))
            {
                await File.WriteAllBytesAsync(big, SyntheticPhoto.Jpeg(4000, 3000, seed: i + 2));
            }
        }

        if (args.Contains("--setup-only"))
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = root });
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Services.AddSignedStaticFiles(o =>
        {
            o.RootPath = files;
            o.MaxLifetime = TimeSpan.FromDays(1);
            o.DefaultLifetime = TimeSpan.FromHours(2);
            o.Watermark.Mode = WatermarkMode.Always;
            if (Environment.GetEnvironmentVariable("B4_CACHE") is { } cache)
            {
                o.Watermark.CacheSizeBytes = long.Parse(cache, System.Globalization.CultureInfo.InvariantCulture);
            }
        }).AddImageSharp();
        var app = builder.Build();
        app.UseSignedStaticFiles();
        app.UseStaticFiles(new StaticFileOptions { RequestPath = "/public", FileProvider = new PhysicalFileProvider(files) });
        var engine = (ImageVariantEngine)app.Services.GetRequiredKeyedService<IVariantEngine>(string.Empty);
        // Where the peak comes from: the managed heap's committed bytes, sampled every 20 ms (the kernel keeps
        // only the peak of the whole process).
        using var ticks = Environment.GetEnvironmentVariable("B4_TICKS") is null ? null : new AllocationTicks();
        long peakManagedCommitted = 0;
        using var sampler = new Timer(_ =>
        {
            var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
            if (committed > Interlocked.Read(ref peakManagedCommitted))
            {
                Interlocked.Exchange(ref peakManagedCommitted, committed);
            }
        }, null, 0, 20);
        app.MapGet("/stats", () => new
        {
            decodes = engine.Decodes,
            peakRssMb = PeakRssMegabytes(),
            rssMb = Process.GetCurrentProcess().WorkingSet64 / 1048576,
            peakManagedCommittedMb = Interlocked.Read(ref peakManagedCommitted) / 1048576,
            managedCommittedMb = GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576,
            gen2Collections = GC.CollectionCount(2),
            allocatedMb = GC.GetTotalAllocatedBytes() / 1048576,
            ticks = ticks?.ByType.OrderByDescending(p => p.Value).Take(12).Select(p => $"{p.Value / 1048576} MB {p.Key}"),
        });
        await app.StartAsync();

        var generator = app.Services.GetRequiredService<ISignedUrlGenerator>();
        var links = new List<string> { generator.GetSignedUrl("/protected/photo.jpg") };
        for (var i = 0; i < b4; i++)
        {
            links.Add(generator.GetSignedUrl($"/protected/big-{i:00}.jpg"));
        }

        await File.WriteAllLinesAsync(linksFile, links);
        Console.WriteLine($"ready {urls}");
        await app.WaitForShutdownAsync();
    }

    /// <summary>VmHWM: the peak resident set size of this process, from the kernel.</summary>
    private static long PeakRssMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024;
            }
        }

        return -1;
    }
}
