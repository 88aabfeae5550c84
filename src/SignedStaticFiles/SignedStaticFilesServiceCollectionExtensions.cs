using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SignedStaticFiles;
using SignedStaticFiles.Diagnostics;
using SignedStaticFiles.Signing;
using SignedStaticFiles.SingleUse;
using SignedStaticFiles.Watermarking;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SignedStaticFiles.</summary>
public static class SignedStaticFilesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the signed-link services: <see cref="ISignedUrlGenerator"/>, DataProtection, the options
    /// (bound from the <c>"SignedStaticFiles"</c> configuration section when present, then
    /// <paramref name="configure"/>) and their startup validation. Calling it again adds another
    /// configure delegate and nothing else.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Configures <see cref="SignedStaticFilesOptions"/>.</param>
    /// <returns>A builder on which add-on packages register their parts.</returns>
    public static ISignedStaticFilesBuilder AddSignedStaticFiles(
        this IServiceCollection services, Action<SignedStaticFilesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        if (!services.Any(d => d.ServiceType == typeof(SignedStaticFilesMarker)))
        {
            services.AddSingleton<SignedStaticFilesMarker>();
            services.AddDataProtection();
            services.AddMetrics();
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<IConfigureOptions<SignedStaticFilesOptions>, BindFromConfiguration>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SignedStaticFilesOptions>, SignedStaticFilesOptionsValidator>());
            services.AddOptions<SignedStaticFilesOptions>().ValidateOnStart();
            services.TryAddSingleton<SignedLinkProtector>();
            services.TryAddSingleton<ISignedUrlGenerator, SignedUrlGenerator>();
            services.TryAddSingleton<SignedStaticFilesMetrics>();
            // Single-use links and the key-ring startup warning (web farms).
            services.TryAddSingleton<ISingleUseLinkStore, InMemorySingleUseLinkStore>();
            services.TryAddSingleton<SingleUseLinkGuard>();
            services.AddHostedService<KeyRingStartupCheck>();
            services.AddSignedStaticFilesWatermarking();
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new SignedStaticFilesBuilder(services);
    }

    private sealed class SignedStaticFilesBuilder(IServiceCollection services) : ISignedStaticFilesBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    /// <summary>Binds the configuration section when the app has configuration; runs before the code's delegates.</summary>
    private sealed class BindFromConfiguration(IServiceProvider services) : IConfigureOptions<SignedStaticFilesOptions>
    {
        public void Configure(SignedStaticFilesOptions options)
        {
            var section = services.GetService<IConfiguration>()?.GetSection(SignedStaticFilesOptions.SectionName);
            if (section?.Exists() == true)
            {
                section.Bind(options);
            }
        }
    }
}

/// <summary>Registered by <c>AddSignedStaticFiles</c> so that <c>UseSignedStaticFiles</c> can tell it ran.</summary>
internal sealed class SignedStaticFilesMarker;
