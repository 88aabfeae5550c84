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
        name ??= Options.DefaultName;
        var registrations = services.GetServices<Folders.SignedFolderRegistration>().Select(r => r.Name).Distinct().ToList();
        if (!registrations.Contains(name))
        {
            return ValidateOptionsResult.Skip; // not a folder: options of that name are someone else's
        }

        var failures = new List<string>();
        ValidateFolder(name, options, failures);
        ValidateOverlaps(name, options, registrations, failures);
        var folder = name.Length == 0 ? "The default protected folder" : $"The protected folder '{name}'";
        return failures.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(failures.Select(f => $"{folder}: {f}"));
    }

    private void ValidateFolder(string name, SignedStaticFilesOptions options, List<string> failures)
    {
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

        if (string.IsNullOrWhiteSpace(options.UserIdClaimType))
        {
            failures.Add("SignedStaticFilesOptions.UserIdClaimType must name a claim type.");
        }

        if (options.MaxUrlLength is < 512 or > 8000)
        {
            failures.Add($"SignedStaticFilesOptions.MaxUrlLength ({options.MaxUrlLength}) must be between 512 and 8000 characters (Kestrel's request line is 8 KiB).");
        }

        if (options.LinkReuseWindow < TimeSpan.Zero || options.LinkReuseWindow > options.MaxLifetime)
        {
            failures.Add($"SignedStaticFilesOptions.LinkReuseWindow ({options.LinkReuseWindow}) must be zero (off) or positive and at most SignedStaticFilesOptions.MaxLifetime ({options.MaxLifetime}).");
        }

        if (options.CacheControl is null || HasDirective(options.CacheControl, "public") || HasDirective(options.CacheControl, "s-maxage"))
        {
            failures.Add($"SignedStaticFilesOptions.CacheControl ('{options.CacheControl}') must not allow shared caches ('public', 's-maxage'): a proxy or CDN would serve a private file to whoever asks. Use 'private, no-store' (the default) or 'private, max-age=N'.");
        }

        if (options.EventsType is { } eventsType && !typeof(SignedStaticFilesEvents).IsAssignableFrom(eventsType))
        {
            failures.Add($"SignedStaticFilesOptions.EventsType ({eventsType}) must derive from SignedStaticFilesEvents.");
        }
        else if (options.EventsType is { } registered && services.GetService<IServiceProviderIsService>()?.IsService(registered) == false)
        {
            // Resolved from the request's services after every answer: unregistered, each request would fail after its answer.
            failures.Add($"SignedStaticFilesOptions.EventsType ({registered}) is not registered: add builder.Services.AddScoped<{registered.Name}>() so it is resolved per request with its dependencies.");
        }

        if (options.LinkScope is { Length: 0 })
        {
            failures.Add("SignedStaticFilesOptions.LinkScope must be null (the default scope) or a non-empty string.");
        }

        if (options.Redactions is null)
        {
            failures.Add("SignedStaticFilesOptions.Redactions must not be null.");
        }
        else
        {
            foreach (var (profile, regions) in options.Redactions)
            {
                if (string.IsNullOrEmpty(profile) || regions is null || regions.Count is 0 or > Signing.SealedLinkCodec.MaxRedactionRegions
                    || regions.Any(r => r is null || !r.IsValid))
                {
                    failures.Add($"SignedStaticFilesOptions.Redactions['{profile}'] must hold 1 to {Signing.SealedLinkCodec.MaxRedactionRegions} regions, each with X, Y, Width and Height fractions of 0 to 1 that stay inside the image.");
                }
            }
        }

        if ((options.Watermark is { Mode: not WatermarkMode.None } || options.Redactions is { Count: > 0 }) && !HasEngine(name))
        {
            failures.Add("SignedStaticFilesOptions.Watermark.Mode is not None (or Redactions are configured) but the folder has no image engine: add the SignedStaticFiles.ImageSharp package and call AddImageSharp() on this folder's builder (builder.Services.AddSignedStaticFiles(...).AddImageSharp()).");
        }

        ValidateRoot(name, options, failures);
        Watermarking.WatermarkOptionsValidator.Validate(options.Watermark, ContentRoot, failures);
    }

    // An engine belongs to one folder: AddImageSharp() registers it keyed by the folder's name.
    private bool HasEngine(string name) =>
        services.GetService<IServiceProviderIsKeyedService>()?.IsKeyedService(typeof(Variants.IVariantEngine), name) == true;

    private static bool HasDirective(string cacheControl, string directive) =>
        cacheControl.Split(',').Any(d => d.Trim().Split('=')[0].Trim().Equals(directive, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Two folders must not overlap: by request path, as the framework matches paths (by segment,
    /// case-insensitively), nor by local root. The other folders' options are built here without their
    /// validation (which would come back here).
    /// </summary>
    private void ValidateOverlaps(string name, SignedStaticFilesOptions options, List<string> registrations, List<string> failures)
    {
        if (registrations.Count < 2 || !options.RequestPath.HasValue)
        {
            return;
        }

        var factory = new OptionsFactory<SignedStaticFilesOptions>(
            services.GetServices<IConfigureOptions<SignedStaticFilesOptions>>(),
            services.GetServices<IPostConfigureOptions<SignedStaticFilesOptions>>());
        foreach (var other in registrations.Where(r => r != name))
        {
            var otherOptions = factory.Create(other);
            var label = other.Length == 0 ? "the default folder" : $"the folder '{other}'";
            if (otherOptions.RequestPath.HasValue
                && (options.RequestPath.StartsWithSegments(otherOptions.RequestPath, StringComparison.OrdinalIgnoreCase)
                    || otherOptions.RequestPath.StartsWithSegments(options.RequestPath, StringComparison.OrdinalIgnoreCase)))
            {
                failures.Add($"SignedStaticFilesOptions.RequestPath '{options.RequestPath}' overlaps the RequestPath '{otherOptions.RequestPath}' of {label}: one folder's links would be answered by the other. Give each folder its own path.");
            }

            if (options.FileProvider is null && otherOptions.FileProvider is null
                && services.GetKeyedService<Stores.ISignedFileStore>(name) is null && services.GetKeyedService<Stores.ISignedFileStore>(other) is null
                && !string.IsNullOrWhiteSpace(options.RootPath) && !string.IsNullOrWhiteSpace(otherOptions.RootPath))
            {
                var root = RealPath(ResolveRoot(options.RootPath, ContentRoot));
                var otherRoot = RealPath(ResolveRoot(otherOptions.RootPath, ContentRoot));
                if (IsSameOrBelow(root, otherRoot) || IsSameOrBelow(otherRoot, root))
                {
                    failures.Add($"SignedStaticFilesOptions.RootPath resolves to '{root}', which overlaps the root '{otherRoot}' of {label}: a file would be reachable under both folders' rules. Give each folder its own root.");
                }
            }
        }
    }

    private void ValidateRoot(string name, SignedStaticFilesOptions options, List<string> failures)
    {
        string root;
        string option;
        if (options.FileProvider is null && services.GetKeyedService<Stores.ISignedFileStore>(name) is not null)
        {
            return; // an object store: no local root
        }

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
