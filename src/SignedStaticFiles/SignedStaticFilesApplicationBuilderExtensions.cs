using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles;
using SignedStaticFiles.Serving;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the SignedStaticFiles middleware to the pipeline.</summary>
public static class SignedStaticFilesApplicationBuilderExtensions
{
    /// <summary>
    /// Serves <see cref="SignedStaticFilesOptions.RequestPath"/> from the protected folder to requests with
    /// a valid signed link, and refuses every other request of that path. Other paths pass through.
    /// Place it before <c>UseStaticFiles</c> or anywhere before the endpoints; user-bound links work
    /// before or after <c>UseAuthentication</c>.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder.</returns>
    /// <exception cref="InvalidOperationException"><c>AddSignedStaticFiles</c> was not called.</exception>
    public static IApplicationBuilder UseSignedStaticFiles(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<SignedStaticFilesMarker>() is null)
        {
            throw new InvalidOperationException(
                "SignedStaticFiles services are not registered: call builder.Services.AddSignedStaticFiles(...) before app.UseSignedStaticFiles().");
        }

        return app.UseMiddleware<SignedStaticFilesMiddleware>();
    }
}
