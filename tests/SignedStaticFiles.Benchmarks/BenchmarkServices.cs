using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SignedStaticFiles.Benchmarks;

/// <summary>
/// The services every micro benchmark of signing and serving shares: a real file-system DataProtection
/// key ring in a temporary folder (as an app in production has), the system clock, logging off.
/// </summary>
internal static class BenchmarkServices
{
    public static ServiceProvider Create(string folder, IFileProvider files)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IWebHostEnvironment>(new BenchmarkEnvironment(folder));
        services.AddDataProtection()
            .SetApplicationName("SignedStaticFiles.Benchmarks")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(folder, "keys")));
        services.AddSignedStaticFiles(o =>
        {
            o.RequestPath = "/protected";
            o.FileProvider = files;
        });
        return services.BuildServiceProvider();
    }

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ssf-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private sealed class BenchmarkEnvironment(string root) : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = Path.Combine(root, "wwwroot");
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ApplicationName { get; set; } = "SignedStaticFiles.Benchmarks";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = root;
        public string EnvironmentName { get; set; } = "Production";
    }
}
