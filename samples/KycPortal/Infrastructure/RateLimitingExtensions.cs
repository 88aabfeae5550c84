using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace KycPortal.Infrastructure;

/// <summary>The framework's rate limiter (Microsoft.AspNetCore.RateLimiting) with the app's two policies.</summary>
public static class RateLimitingExtensions
{
    private static string TooManyRequestsPage(string pathBase) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many requests · KycPortal</title>"
        + $"<link rel=\"stylesheet\" href=\"{pathBase}/css/site.css\"></head><body><main><h1>Too many requests</h1>"
        + "<p>Too many attempts from your connection in a short time. Wait a minute, then try again.</p>"
        + $"<p><a href=\"{pathBase}/\">Back to the start page</a></p></main></body></html>";

    public static IServiceCollection AddKycRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(RateLimitSettings.SectionName).Get<RateLimitSettings>() ?? new RateLimitSettings();
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                response.ContentType = "text/html; charset=utf-8";
                var pathBase = System.Net.WebUtility.HtmlEncode(context.HttpContext.Request.PathBase.ToUriComponent());
                await response.WriteAsync(TooManyRequestsPage(pathBase), cancellationToken);
            };

            // Per client address, whatever account is named: the answer (429) is the same for every account, so
            // it tells nothing about which exist. Behind a reverse proxy, UseForwardedHeaders (with the proxy in
            // KnownProxies) must run first, or every client shares the proxy's address.
            o.AddPolicy(RateLimitSettings.SignInPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "(no address)",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.SignInPermitLimit, Window = settings.SignInWindow, QueueLimit = 0 }));

            // Per user: every accepted form costs three decodes, so one account cannot keep the decoders busy.
            o.AddPolicy(RateLimitSettings.UploadPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "(anonymous)",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.UploadPermitLimit, Window = settings.UploadWindow, QueueLimit = 0 }));
        });
    }
}
