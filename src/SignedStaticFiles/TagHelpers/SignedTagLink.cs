using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace SignedStaticFiles.TagHelpers;

/// <summary>
/// What both tag helpers share: turn the page author's attribute values into a signed URL, or fail at
/// render time with a message naming the tag, the attribute and the view. A wrong value must break the
/// page in development, never render a link that silently answers 403.
/// </summary>
internal static class SignedTagLink
{
    public const string LifetimeAttribute = "lifetime";
    public const string BindToUserAttribute = "bind-to-user";

    /// <summary>Returns <c>{PathBase}/protected/…?token=…</c> for the request of <paramref name="viewContext"/>.</summary>
    /// <remarks>
    /// <c>tag</c> and <c>attribute</c> are the tag and the path attribute as the author wrote them
    /// (<c>signed-img</c>/<c>src</c>, <c>a</c>/<c>signed-href</c>), for messages.
    /// </remarks>
    public static string Mint(
        ISignedUrlGenerator generator,
        SignedStaticFilesOptions options,
        ViewContext? viewContext,
        string tag,
        string attribute,
        string? path,
        string? lifetime,
        bool bindToUser,
        string? downloadFileName = null,
        bool singleUse = false,
        string? watermarkText = null)
    {
        ValidatePath(options, viewContext, tag, attribute, path);
        var urlOptions = new SignedUrlOptions
        {
            Lifetime = ParseLifetime(options, viewContext, tag, lifetime),
            UserId = bindToUser ? CurrentUserId(viewContext, tag) : null,
            DownloadFileName = downloadFileName,
            SingleUse = singleUse,
            WatermarkText = watermarkText,
        };

        string url;
        try
        {
            url = generator.GetSignedUrl(path, urlOptions);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // The generator's own rules (traversal, dot-files, control characters, download name,
            // a watermark on a folder without watermarking):
            // re-thrown with the tag, attribute and view so the author finds the line at once.
            var culprit = downloadFileName is not null && ex.Message.Contains(nameof(SignedUrlOptions.DownloadFileName), StringComparison.Ordinal)
                ? "download-name"
                : watermarkText is not null && ex.Message.Contains(nameof(SignedUrlOptions.WatermarkText), StringComparison.Ordinal)
                    ? "watermark"
                    : attribute;
            throw Error(viewContext, tag, culprit, ex.Message, ex);
        }

        // The generator returns the PathBase-relative URL (the token binds that path, so links survive
        // proxies and virtual directories); the browser needs the PathBase in front.
        var pathBase = viewContext?.HttpContext?.Request.PathBase ?? PathString.Empty;
        return pathBase.HasValue ? pathBase.ToUriComponent() + url : url;
    }

    private static void ValidatePath(
        SignedStaticFilesOptions options, ViewContext? viewContext, string tag, string attribute, [System.Diagnostics.CodeAnalysis.NotNull] string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw Error(viewContext, tag, attribute,
                $"the value is {(path is null ? "missing" : "empty")}: give the app-relative path of a file below '{options.RequestPath}', such as '~{options.RequestPath}/file.jpg'.");
        }

        var colon = path.IndexOf(':', StringComparison.Ordinal);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if ((colon >= 0 && (slash < 0 || colon < slash))
            || path.StartsWith("//", StringComparison.Ordinal)
            || path.StartsWith("~//", StringComparison.Ordinal)
            || path.StartsWith('\\'))
        {
            throw Error(viewContext, tag, attribute,
                $"'{path}' is an absolute URL; only app-relative paths below '{options.RequestPath}' (such as '~{options.RequestPath}/file.jpg') can be signed.");
        }

        var appPath = path.StartsWith("~/", StringComparison.Ordinal) ? path.AsSpan(1) : path.AsSpan();
        if (appPath.IsEmpty || appPath[0] != '/')
        {
            throw Error(viewContext, tag, attribute,
                $"'{path}' is not app-relative; write it from the app root, such as '~{options.RequestPath}/file.jpg'.");
        }

        // Only a file below the protected folder can be served by a signed link: anything else would
        // render a link that always fails (or, for a public file, a pointless token).
        var requestPath = options.RequestPath.Value.AsSpan();
        if (!(appPath.Length > requestPath.Length + 1
              && appPath.StartsWith(requestPath, StringComparison.OrdinalIgnoreCase)
              && appPath[requestPath.Length] == '/'))
        {
            throw Error(viewContext, tag, attribute,
                $"'{path}' is outside the protected folder '{options.RequestPath}' (SignedStaticFilesOptions.RequestPath); only files below it can be signed.");
        }
    }

    private static TimeSpan? ParseLifetime(SignedStaticFilesOptions options, ViewContext? viewContext, string tag, string? lifetime)
    {
        if (lifetime is null)
        {
            return null;
        }

        if (!TimeSpan.TryParse(lifetime, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(viewContext, tag, LifetimeAttribute,
                $"'{lifetime}' is not a TimeSpan; write it as [d.]hh:mm:ss, such as \"00:02:00\" for two minutes.");
        }

        if (value <= TimeSpan.Zero || value > options.MaxLifetime)
        {
            throw Error(viewContext, tag, LifetimeAttribute,
                $"'{lifetime}' must be positive and at most SignedStaticFilesOptions.MaxLifetime ({options.MaxLifetime.ToString("c", CultureInfo.InvariantCulture)}).");
        }

        return value;
    }

    private static string? CurrentUserId(ViewContext? viewContext, string tag)
    {
        var user = viewContext?.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        // Signed in but without a NameIdentifier: the middleware could never match the link to this
        // user, and falling back to an unbound link would hand out a bearer link the author did not ask for.
        return user.FindFirst(ClaimTypes.NameIdentifier)?.Value is { Length: > 0 } id
            ? id
            : throw Error(viewContext, tag, BindToUserAttribute,
                "the signed-in user has no NameIdentifier claim to bind the link to; add that claim at sign-in, or write bind-to-user=\"false\" for a link anyone holding it can open.");
    }

    internal static InvalidOperationException Error(
        ViewContext? viewContext, string tag, string attribute, string problem, Exception? inner = null)
    {
        var view = viewContext?.ExecutingFilePath ?? viewContext?.View?.Path ?? "(unknown view)";
        return new InvalidOperationException($"The '{attribute}' attribute of <{tag}> in view '{view}' is invalid: {problem}", inner);
    }
}
