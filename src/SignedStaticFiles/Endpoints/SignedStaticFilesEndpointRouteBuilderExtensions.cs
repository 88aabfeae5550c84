using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles;
using SignedStaticFiles.Endpoints;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Serving;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the protected folders as endpoints.</summary>
public static class SignedStaticFilesEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The endpoint form of <c>UseSignedStaticFiles()</c>: maps <c>{RequestPath}/{**path}</c> for every protected
    /// folder, answered exactly as the middleware answers (same decision, same headers, same refusals). The
    /// endpoints carry no HTTP-method metadata: the package itself answers other methods with 405 and
    /// <c>Allow: GET, HEAD</c>, comparing methods case-sensitively as Kestrel does.
    /// </summary>
    /// <remarks>
    /// The returned builder applies to every folder's endpoint at once, so the framework's conventions work:
    /// <c>app.MapSignedStaticFiles().RequireAuthorization().RequireRateLimiting("files")</c>. Authorization and
    /// rate limiting run before the link is looked at: their refusals (401/403 challenge, 429) are the
    /// framework's own answers. Call it on the app itself, not inside <c>MapGroup</c>: a link binds the folder's
    /// <see cref="SignedStaticFilesOptions.RequestPath"/>, which a group prefix would change. An app calls either
    /// this or <c>UseSignedStaticFiles()</c>, never both.
    /// </remarks>
    /// <param name="endpoints">The app (an <see cref="IEndpointRouteBuilder"/>).</param>
    /// <returns>One convention builder over the endpoints of all folders.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><c>AddSignedStaticFiles</c> was not called, the folders are already
    /// served by <c>UseSignedStaticFiles()</c> or mapped by an earlier call, or <paramref name="endpoints"/> is a route group.</exception>
    public static IEndpointConventionBuilder MapSignedStaticFiles(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        if (services.GetService<SignedStaticFilesMarker>() is not { } marker)
        {
            throw new InvalidOperationException(
                "SignedStaticFiles services are not registered: call builder.Services.AddSignedStaticFiles(...) before app.MapSignedStaticFiles().");
        }

        if (endpoints is RouteGroupBuilder)
        {
            throw new InvalidOperationException(
                "app.MapSignedStaticFiles() maps each protected folder at its own RequestPath, which signed links bind: call it on the app, not inside MapGroup(...), and put conventions on the builder it returns.");
        }

        marker.ClaimServing(SignedStaticFilesMarker.EndpointForm);

        var server = services.GetRequiredService<SignedFileServer>();
        var builders = new List<IEndpointConventionBuilder>();
        foreach (var folder in services.GetRequiredService<SignedFolderRegistry>().Folders)
        {
            var builder = endpoints.Map(PatternOf(folder.RequestPath), context => ServeAsync(server, folder, context));
            builder.WithDisplayName(folder.Name.Length == 0
                ? "SignedStaticFiles " + folder.RequestPath.Value
                : $"SignedStaticFiles '{folder.Name}' {folder.RequestPath.Value}");
            builders.Add(builder);
        }

        return new SignedFoldersConventionBuilder(builders);
    }

    private static async Task ServeAsync(SignedFileServer server, SignedFolder folder, HttpContext context)
    {
        // Routing matched the pattern the way the registry matches a folder (by segment, case-insensitively). Were
        // the path not below the folder, the subpath stays empty and the decision refuses the request.
        context.Request.Path.StartsWithSegments(folder.RequestPath, StringComparison.OrdinalIgnoreCase, out var subpath);

        // The server clears the endpoint so the framework's static-file middleware serves the file; it is put back
        // for what reads it after the handler (the http.route tag of the request metrics).
        var endpoint = context.GetEndpoint();
        try
        {
            await server.ServeAsync(context, folder, subpath);
        }
        finally
        {
            context.SetEndpoint(endpoint);
        }
    }

    /// <summary>
    /// <c>{RequestPath}/{**path}</c>, built from parts: the request path is literal text, whatever characters it
    /// holds (a brace in a folder's path is not a route parameter).
    /// </summary>
    private static RoutePattern PatternOf(PathString requestPath)
    {
        var segments = requestPath.Value!
            .Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => RoutePatternFactory.Segment(RoutePatternFactory.LiteralPart(s)))
            .Append(RoutePatternFactory.Segment(RoutePatternFactory.ParameterPart("path", @default: null, RoutePatternParameterKind.CatchAll)));
        return RoutePatternFactory.Pattern(segments);
    }
}
