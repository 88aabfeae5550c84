using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Stores;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks of the SignedStaticFiles file stores.</summary>
public static class SignedStaticFilesHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds one health check per folder served from an object store (<c>ServeFromS3</c>, <c>ServeFromAzureBlobs</c>,
    /// <c>ServeFromStore</c>), named <c>signedstaticfiles-store</c> for the default folder and
    /// <c>signedstaticfiles-store:{name}</c> for a named one. Each asks its store for the metadata of a path (the
    /// store's answer, found or not, is healthy) within the folder's <see cref="SignedFileStoreOptions.Timeout"/>.
    /// Folders on the local disk get no check. Order-independent: folders registered after this call are
    /// checked too.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="failureStatus">The status reported when a store does not answer; <see langword="null"/> (default) for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags of every check (for filtering in <c>MapHealthChecks</c>); default none.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IHealthChecksBuilder AddSignedStaticFilesStores(
        this IHealthChecksBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var tagList = tags?.ToArray() ?? [];
        builder.Services.AddOptions<HealthCheckServiceOptions>().Configure<IServiceProvider>((options, services) =>
        {
            var registry = services.GetService<SignedFolderRegistry>();
            if (registry is null)
            {
                return;
            }

            foreach (var folder in registry.Folders)
            {
                if (folder.Store is not CachedFileStore store)
                {
                    continue;
                }

                var name = folder.Name.Length == 0 ? "signedstaticfiles-store" : "signedstaticfiles-store:" + folder.Name;
                if (options.Registrations.Any(r => r.Name == name))
                {
                    continue; // added twice: one check is enough
                }

                var folderName = folder.Name;
                options.Registrations.Add(new HealthCheckRegistration(name, _ => new SignedFileStoreHealthCheck(folderName, store), failureStatus, tagList));
            }
        });
        return builder;
    }
}
