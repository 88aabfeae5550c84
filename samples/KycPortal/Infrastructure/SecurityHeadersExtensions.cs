namespace KycPortal.Infrastructure;

/// <summary>Security headers for the app's pages.</summary>
public static class SecurityHeadersExtensions
{
    // No script at all: 'none'. Images only from this origin (the signed links); styles from the site's
    // own CSS file; forms post only to this origin; the pages can't be framed.
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /// <summary>
    /// Adds CSP, no-referrer, nosniff and frame denial to every response. The signed-files middleware runs
    /// later and replaces them with its own stricter set on the protected path.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return next(context);
        });
}
