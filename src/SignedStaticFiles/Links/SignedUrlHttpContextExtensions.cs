using SignedStaticFiles;
using SignedStaticFiles.Links;

namespace Microsoft.AspNetCore.Http;

/// <summary>Signed links from a request: for minimal APIs, middleware and Razor Pages handlers.</summary>
public static class SignedUrlHttpContextExtensions
{
    /// <summary>
    /// Returns a signed link to <paramref name="path"/> that a browser of this request can follow: the request's
    /// <see cref="HttpRequest.PathBase"/> in front (<c>/app/protected/kyc/42/front.jpg?token=…</c>), bound to the
    /// signed-in user (the folder's <see cref="SignedStaticFilesOptions.UserIdClaimType"/> claim) unless
    /// <see cref="SignedUrlOptions.BindToUser"/> is <see langword="false"/>; an explicit
    /// <see cref="SignedUrlOptions.UserId"/> replaces the signed-in user. An anonymous request's link is not bound.
    /// The folder is chosen by the path and its caps apply.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="path">The app-relative, unencoded path of the file (<c>/protected/…</c> or <c>~/protected/…</c>), without the PathBase.</param>
    /// <param name="options">What the link carries; default <see langword="null"/>: the folder's default lifetime, bound to the signed-in user.</param>
    /// <returns>The URL, percent-encoded, PathBase included.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException">The path is not below a protected folder or cannot be signed (<c>ParamName</c> <c>"path"</c>), or an
    /// option value is invalid or cannot be honoured by the folder, or the signed-in user has no user-id claim (<c>ParamName</c> <c>"options"</c>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The lifetime is not positive or above the folder's
    /// <see cref="SignedStaticFilesOptions.MaxLifetime"/> (<c>ParamName</c> <c>"options"</c>).</exception>
    /// <exception cref="InvalidOperationException"><c>AddSignedStaticFiles</c> was not called.</exception>
    public static string GetSignedUrl(this HttpContext context, string path, SignedUrlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var generator = ViewerLinks.GeneratorFrom(context.RequestServices, "HttpContext.GetSignedUrl");
        return ViewerLinks.GetSignedUrl(generator, context.User, context.Request.PathBase, path, options);
    }
}
