using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SignedStaticFiles.Signing;
using SignedStaticFiles.Stores;
using SignedStaticFiles.Variants;

namespace SignedStaticFiles.Folders;

/// <summary>
/// Every registered folder, resolved once (options validated, store, scoped protector, engine). Serving finds
/// the folder by the request path; minting by the path to sign (longest <see cref="SignedStaticFilesOptions.RequestPath"/>
/// by segment, case-insensitively, as the framework matches paths).
/// </summary>
internal sealed class SignedFolderRegistry
{
    private readonly SignedFolder[] _folders;

    public SignedFolderRegistry(
        IEnumerable<SignedFolderRegistration> registrations,
        IOptionsMonitor<SignedStaticFilesOptions> options,
        IDataProtectionProvider dataProtection,
        TimeProvider timeProvider,
        IServiceProvider services)
    {
        var contentRoot = services.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
        var keyManager = services.GetService<IKeyManager>();
        _folders = registrations
            .Select(r => r.Name)
            .Distinct(StringComparer.Ordinal)
            .Select(name => Resolve(name, options.Get(name)))
            // Longest first: with overlaps refused at startup any order works, but the longest-first order
            // also keeps minting right for a path that is under no folder but shares a prefix.
            .OrderByDescending(f => f.RequestPath.Value!.Length)
            .ToArray();

        SignedFolder Resolve(string name, SignedStaticFilesOptions folderOptions)
        {
            var store = services.GetKeyedService<ISignedFileStore>(name);
            IFileProvider? local = null;
            if (store is not null)
            {
                // An object store: metadata cache and deadlines around it (docs/stores.md).
                store = new CachedFileStore(store, services.GetRequiredService<IOptionsMonitor<SignedFileStoreOptions>>().Get(name), timeProvider);
            }
            else
            {
                local = folderOptions.FileProvider
                    ?? new Serving.RootedFileProvider(SignedStaticFilesOptionsValidator.ResolveRoot(folderOptions.RootPath, contentRoot));
                store = new PhysicalFolderStore(local, folderOptions.FileProvider is null
                    ? "root:" + folderOptions.RootPath
                    : "provider:" + (folderOptions.FileProvider is PhysicalFileProvider p ? p.Root : folderOptions.FileProvider.GetType().FullName));
            }

            var scope = folderOptions.LinkScope ?? string.Join('|', "folder:" + name, "path:" + folderOptions.RequestPath.Value, store.Scope);
            return new SignedFolder
            {
                Name = name,
                Options = folderOptions,
                Store = store,
                LocalFiles = local,
                Scope = scope,
                Protector = new SignedLinkProtector(dataProtection, scope, timeProvider, keyManager),
                Engine = services.GetKeyedService<IVariantEngine>(name),
            };
        }
    }

    /// <summary>The folders, longest request path first.</summary>
    public IReadOnlyList<SignedFolder> Folders => _folders;

    /// <summary>The folder serving <paramref name="path"/> (a request path), and the path below it.</summary>
    public SignedFolder? Match(PathString path, out PathString subpath)
    {
        foreach (var folder in _folders)
        {
            if (path.StartsWithSegments(folder.RequestPath, StringComparison.OrdinalIgnoreCase, out subpath))
            {
                return folder;
            }
        }

        subpath = default;
        return null;
    }

    /// <summary>The folder an app-relative, unencoded path to sign belongs to, or null.</summary>
    public SignedFolder? ForPath(string appPath) =>
        Match(new PathString(appPath), out var subpath) is { } folder && subpath.HasValue && subpath.Value != "/" ? folder : null;
}
