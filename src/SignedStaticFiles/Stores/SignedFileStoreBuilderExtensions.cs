using Microsoft.Extensions.DependencyInjection.Extensions;
using SignedStaticFiles;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Stores;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Serves a folder from an object store instead of the local disk.</summary>
public static class SignedFileStoreBuilderExtensions
{
    /// <summary>
    /// Serves the folder's files from <paramref name="factory"/>'s store: the folder's <c>RootPath</c> and
    /// <c>FileProvider</c> are then ignored, and the store's <see cref="ISignedFileStore.Scope"/> becomes part
    /// of the folder's default link scope. <c>ServeFromS3</c> and <c>ServeFromAzureBlobs</c> call this; use it
    /// directly for a store of your own. Calling it again for the same folder replaces the store.
    /// </summary>
    /// <remarks>
    /// The store is wrapped in a bounded metadata cache and a deadline on every call (both steered by
    /// <see cref="SignedFileStoreOptions"/>, see <see cref="ConfigureStore"/>), and answered with the same
    /// static-file semantics as a local folder (docs/stores.md).
    /// </remarks>
    /// <param name="builder">The folder's builder, returned by <c>AddSignedStaticFiles</c>.</param>
    /// <param name="factory">Creates the store once, on first use (a singleton).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ISignedStaticFilesBuilder ServeFromStore(this ISignedStaticFilesBuilder builder, Func<IServiceProvider, ISignedFileStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);

        var name = builder.Name;
        var services = builder.Services;
        services.RemoveAllKeyed<ISignedFileStore>(name);
        services.AddKeyedSingleton<ISignedFileStore>(name, (provider, _) => factory(provider)
            ?? throw new InvalidOperationException($"The store factory of the folder '{name}' returned null."));
        services.TryAddSingleton<IStoreMetadataEviction, StoreMetadataEviction>();

        if (!services.Any(d => d.ServiceType == typeof(StoreRegistration) && d.ImplementationInstance is StoreRegistration r && r.Name == name))
        {
            services.AddSingleton(new StoreRegistration(name));
            var folder = name.Length == 0 ? "the default folder" : $"the folder '{name}'";
            services.AddOptions<SignedFileStoreOptions>(name)
                .BindConfiguration(SignedFolderRegistration.SectionOf(name) + ":Store")
                .Validate(o => o.MetadataCacheDuration >= TimeSpan.Zero && o.MetadataCacheDuration <= TimeSpan.FromHours(1),
                    $"SignedFileStoreOptions.MetadataCacheDuration of {folder} must be from 0 to 1 hour.")
                .Validate(o => o.MetadataCacheSize >= 0, $"SignedFileStoreOptions.MetadataCacheSize of {folder} must be 0 or more.")
                .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromMinutes(5),
                    $"SignedFileStoreOptions.Timeout of {folder} must be greater than zero and at most 5 minutes.")
                .ValidateOnStart();
        }

        return builder;
    }

    /// <summary>
    /// Configures the metadata cache and the deadline of the folder's store (<see cref="SignedFileStoreOptions"/>),
    /// after the configuration section <c>SignedStaticFiles:Store</c> (default folder) or
    /// <c>SignedStaticFiles:Folders:{name}:Store</c> is bound.
    /// </summary>
    /// <param name="builder">The folder's builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ISignedStaticFilesBuilder ConfigureStore(this ISignedStaticFilesBuilder builder, Action<SignedFileStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        builder.Services.Configure(builder.Name, configure);
        return builder;
    }

    /// <summary>Marks a folder whose store options are registered, so that registering again adds nothing twice.</summary>
    private sealed record StoreRegistration(string Name);
}
