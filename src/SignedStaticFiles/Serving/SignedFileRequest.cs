using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Signing;
using SignedStaticFiles.Stores;

namespace SignedStaticFiles.Serving;

/// <summary>
/// One request of a protected folder, filled once by the decision step and read by every later step: the
/// folder, the path below it, the link, the viewer, the file. Nothing downstream works any of these out again.
/// </summary>
internal sealed class SignedFileRequest(HttpContext httpContext, SignedFolder folder, PathString subpath)
{
    private ClaimsPrincipal? _viewer;

    public HttpContext HttpContext { get; } = httpContext;

    public SignedFolder Folder { get; } = folder;

    /// <summary>The path below the folder's request path (<c>/kyc/42/front.jpg</c>).</summary>
    public PathString Subpath { get; } = subpath;

    /// <summary>The link, once its token was unprotected.</summary>
    public SealedLink? Link { get; set; }

    /// <summary>The file, once a step looked it up in the store.</summary>
    public SignedFileInfo? File { get; set; }

    /// <summary>Whether a single-use reservation is held for this request (to commit or release).</summary>
    public bool HoldsReservation { get; set; }

    /// <summary>
    /// The viewer, resolved once per request. When the middleware runs before <c>UseAuthentication</c>, the
    /// request's user is not known yet: the default authentication scheme is asked once here, and the result
    /// becomes <see cref="HttpContext.User"/>, so that the user binding, the stamp's <c>{user}</c>, the events
    /// and the app's audit all read the same principal.
    /// </summary>
    public async ValueTask<ClaimsPrincipal> GetViewerAsync()
    {
        if (_viewer is not null)
        {
            return _viewer;
        }

        var user = HttpContext.User;
        if (user.Identity?.IsAuthenticated != true
            && HttpContext.RequestServices?.GetService<IAuthenticationSchemeProvider>() is { } schemes
            && await schemes.GetDefaultAuthenticateSchemeAsync() is not null)
        {
            var result = await HttpContext.AuthenticateAsync();
            if (result.Succeeded && result.Principal is { } principal)
            {
                HttpContext.User = user = principal;
            }
        }

        return _viewer = user;
    }

    /// <summary>The viewer's user id (the folder's <see cref="SignedStaticFilesOptions.UserIdClaimType"/>), or null when anonymous.</summary>
    public async ValueTask<string?> GetViewerIdAsync()
    {
        var viewer = await GetViewerAsync();
        return viewer.Identity?.IsAuthenticated == true ? viewer.FindFirst(Folder.Options.UserIdClaimType)?.Value : null;
    }
}
