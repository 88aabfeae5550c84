using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SignedStaticFiles;

/// <summary>
/// Startup checks (run by <c>ValidateOnStart</c>): each failure names the option and what to do, so a
/// misconfigured protected folder stops the app instead of serving files unprotected.
/// </summary>
internal sealed class SignedStaticFilesOptionsValidator(IServiceProvider services) : IValidateOptions<SignedStaticFilesOptions>
{
    public ValidateOptionsResult Validate(string? name, SignedStaticFilesOptions options)
    {
        var failures = new List<string>();
        if (!options.RequestPath.HasValue || options.RequestPath.Value == "/")
        {
            failures.Add("SignedStaticFilesOptions.RequestPath must be a URL prefix such as '/protected'; empty and '/' would put the whole site behind signed links.");
        }
        else if (options.RequestPath.Value!.EndsWith('/'))
        {
            failures.Add($"SignedStaticFilesOptions.RequestPath '{options.RequestPath}' must not end with '/'.");
        }

        if (string.IsNullOrWhiteSpace(options.TokenParameterName))
        {
            failures.Add("SignedStaticFilesOptions.TokenParameterName must not be empty.");
        }

        if (options.MaxLifetime <= TimeSpan.Zero)
        {
            failures.Add($"SignedStaticFilesOptions.MaxLifetime ({options.MaxLifetime}) must be positive.");
        }

        if (options.DefaultLifetime <= TimeSpan.Zero || options.DefaultLifetime > options.MaxLifetime)
        {
            failures.Add($"SignedStaticFilesOptions.DefaultLifetime ({options.DefaultLifetime}) must be positive and at most SignedStaticFilesOptions.MaxLifetime ({options.MaxLifetime}).");
        }

        if (options.ContentTypeProvider is null)
        {
            failures.Add("SignedStaticFilesOptions.ContentTypeProvider must not be null.");
        }

        if (options.Events is null)
        {
            failures.Add("SignedStaticFilesOptions.Events must not be null.");
        }

        ValidateRoot(options, failures);
        Watermarking.WatermarkOptionsValidator.Validate(options.Watermark, ContentRoot, failures); // issue 4
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void ValidateRoot(SignedStaticFilesOptions options, List<string> failures)
    {
        string root;
        string option;
        if (options.FileProvider is null)
        {
            option = "SignedStaticFilesOptions.RootPath";
            if (string.IsNullOrWhiteSpace(options.RootPath))
            {
                failures.Add($"{option} must name the protected folder.");
                return;
            }

            root = ResolveRoot(options.RootPath, ContentRoot);
            if (!Directory.Exists(root))
            {
                failures.Add($"{option} '{options.RootPath}' resolves to '{root}', which does not exist. Create the folder or correct the option.");
                return;
            }
        }
        else if (options.FileProvider is PhysicalFileProvider physical)
        {
            option = "SignedStaticFilesOptions.FileProvider";
            root = physical.Root;
        }
        else
        {
            return;
        }

        var webRoot = services.GetService<IWebHostEnvironment>()?.WebRootPath ?? Path.Combine(ContentRoot, "wwwroot");
        var realRoot = RealPath(root);
        var realWebRoot = RealPath(Path.GetFullPath(webRoot, ContentRoot));
        if (IsSameOrBelow(realRoot, realWebRoot) || IsSameOrBelow(realWebRoot, realRoot))
        {
            failures.Add($"{option} resolves to '{realRoot}', which overlaps the web root '{realWebRoot}': the public static-files middleware would serve protected files without a token. Move the protected folder outside the web root (e.g. 'App_Data/protected').");
        }
    }

    private string ContentRoot => services.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;

    /// <summary>The protected folder's full path: <paramref name="rootPath"/> absolute, or relative to the content root.</summary>
    internal static string ResolveRoot(string rootPath, string contentRoot) => Path.GetFullPath(rootPath, contentRoot);

    private static string RealPath(string directory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        try
        {
            return Directory.Exists(full) && new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target
                ? Path.TrimEndingDirectorySeparator(target.FullName)
                : full;
        }
        catch (IOException)
        {
            return full;
        }
    }

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static bool IsSameOrBelow(string path, string parent) =>
        path.Equals(parent, PathComparison)
        || path.StartsWith(parent + Path.DirectorySeparatorChar, PathComparison);
}
