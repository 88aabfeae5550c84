using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles;
using SignedStaticFiles.Serving;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the SignedStaticFiles middleware to the pipeline.</summary>
public static class SignedStaticFilesApplicationBuilderExtensions
{
    /// <summary>
    /// Serves every protected folder (each <see cref="SignedStaticFilesOptions.RequestPath"/>) to requests with
    /// a valid signed link, and refuses every other request of those paths. Other paths pass through.
    /// Place it before <c>UseStaticFiles</c> or anywhere before the endpoints; user-bound links work
    /// before or after <c>UseAuthentication</c>. The alternative endpoint form is <c>MapSignedStaticFiles()</c>;
    /// an app calls one of the two.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="app"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><c>AddSignedStaticFiles</c> was not called, or
    /// <c>MapSignedStaticFiles()</c> was called before.</exception>
    public static IApplicationBuilder UseSignedStaticFiles(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<SignedStaticFilesMarker>() is not { } marker)
        {
            throw new InvalidOperationException(
                "SignedStaticFiles services are not registered: call builder.Services.AddSignedStaticFiles(...) before app.UseSignedStaticFiles().");
        }

        marker.ClaimServing(SignedStaticFilesMarker.MiddlewareForm);

        // The server is resolved when the pipeline is built (at start), as the framework activates middleware.
        return app.Use(next => app.ApplicationServices.GetRequiredService<SignedFileServer>().CreateMiddleware(next));
    }
}
