using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SignedStaticFiles;
using SignedStaticFiles.Diagnostics;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Revocation;
using SignedStaticFiles.Signing;
using SignedStaticFiles.SingleUse;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SignedStaticFiles.</summary>
public static class SignedStaticFilesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the default protected folder (<c>Options.DefaultName</c>) and the signed-link services:
    /// <see cref="ISignedUrlGenerator"/>, DataProtection, the options (bound from the <c>"SignedStaticFiles"</c>
    /// configuration section when present, then <paramref name="configure"/>) and their startup validation.
    /// Calling it again adds another configure delegate to the same folder and nothing else.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Configures the folder's <see cref="SignedStaticFilesOptions"/>.</param>
    /// <returns>The folder's builder, on which add-on packages register their parts.</returns>
#pragma warning disable RS0026 // Both overloads are the fixed public contract: AddSignedStaticFiles(configure) and AddSignedStaticFiles(name, configure).
    public static ISignedStaticFilesBuilder AddSignedStaticFiles(
        this IServiceCollection services, Action<SignedStaticFilesOptions>? configure = null) =>
        AddSignedStaticFiles(services, Options.Options.DefaultName, configure);

    /// <summary>
    /// Adds a named protected folder: its own <see cref="SignedStaticFilesOptions"/> (bound from the configuration
    /// section <c>"SignedStaticFiles:Folders:{name}"</c> when present, then <paramref name="configure"/>), served by
    /// <c>UseSignedStaticFiles()</c> beside every other folder. Folders whose request paths or roots overlap stop
    /// the app at startup, naming both.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="name">The folder's name (<c>"contracts"</c>); <c>""</c> is the default folder.</param>
    /// <param name="configure">Configures the folder's <see cref="SignedStaticFilesOptions"/>.</param>
    /// <returns>The folder's builder, on which add-on packages register their parts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="name"/> is null.</exception>
    public static ISignedStaticFilesBuilder AddSignedStaticFiles(
        this IServiceCollection services, string name, Action<SignedStaticFilesOptions>? configure = null)
#pragma warning restore RS0026
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);

        if (!services.Any(d => d.ServiceType == typeof(SignedStaticFilesMarker)))
        {
            services.AddSingleton<SignedStaticFilesMarker>();

            // BindConfiguration needs an IConfiguration: every host registers one; a bare ServiceCollection
            // (a console tool minting links, a test) gets an empty one, so configuration stays optional.
            services.TryAddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(_ => new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
            services.AddDataProtection();
            services.AddMetrics();
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SignedStaticFilesOptions>, SignedStaticFilesOptionsValidator>());
            services.TryAddSingleton<SignedFolderRegistry>();
            services.TryAddSingleton<LinkReuseMemory>();
            services.TryAddSingleton<ISignedUrlGenerator, SignedUrlGenerator>();
            services.TryAddSingleton<SignedStaticFiles.Serving.SignedFileServer>();
            services.TryAddSingleton<SignedStaticFilesMetrics>();
            services.TryAddSingleton<ISingleUseLinkStore, InMemorySingleUseLinkStore>();
            services.TryAddSingleton<SingleUseLinkGuard>();
            services.TryAddSingleton<RevocationList>();
            services.TryAddSingleton<ISignedUrlRevoker, SignedUrlRevoker>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IRevocationListener, LinkReuseRevocationListener>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IRevocationListener, StoreEvictionRevocationListener>());
            services.AddHostedService<KeyRingStartupCheck>();
        }

        if (!services.Any(d => d.ServiceType == typeof(SignedFolderRegistration)
            && d.ImplementationInstance is SignedFolderRegistration r && r.Name == name))
        {
            services.AddSingleton(new SignedFolderRegistration(name));
            services.AddOptions<SignedStaticFilesOptions>(name)
                .BindConfiguration(SignedFolderRegistration.SectionOf(name))
                .ValidateOnStart();
        }

        if (configure is not null)
        {
            services.Configure(name, configure);
        }

        return new SignedStaticFilesBuilder(services, name);
    }

    private sealed class SignedStaticFilesBuilder(IServiceCollection services, string name) : ISignedStaticFilesBuilder
    {
        public IServiceCollection Services { get; } = services;

        public string Name { get; } = name;
    }
}

/// <summary>
/// Registered by <c>AddSignedStaticFiles</c> so that <c>UseSignedStaticFiles</c> and <c>MapSignedStaticFiles</c> can
/// tell it ran, and which of the two serves the folders.
/// </summary>
internal sealed class SignedStaticFilesMarker
{
    public const string MiddlewareForm = "app.UseSignedStaticFiles()";
    public const string EndpointForm = "app.MapSignedStaticFiles()";

    private string? _servedBy;

    /// <summary>
    /// Records that <paramref name="form"/> serves the folders. The other form as well would answer the same paths
    /// twice under different rules (the endpoints' authorization and rate limits would not apply to what the
    /// middleware answers first), and endpoints mapped twice would be ambiguous: both refused at startup.
    /// </summary>
    /// <exception cref="InvalidOperationException">The folders are already served by the other form, or mapped already.</exception>
    public void ClaimServing(string form)
    {
        var previous = Interlocked.CompareExchange(ref _servedBy, form, null);
        if (previous is null || (previous == form && form == MiddlewareForm))
        {
            return;
        }

        throw new InvalidOperationException(previous == form
            ? $"{form} was called twice: it maps every protected folder at once; call it once and put conventions (RequireAuthorization, RequireRateLimiting, ...) on the builder it returns."
            : $"{form} was called after {previous}: both would serve the same protected folders. Call only one of them: "
                + $"{MiddlewareForm} (middleware) or {EndpointForm} (endpoints, to which RequireAuthorization and RequireRateLimiting apply).");
    }
}
