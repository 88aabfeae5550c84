using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Links;

/// <summary>
/// The one way the user-aware link APIs (<c>HttpContext.GetSignedUrl</c>, <c>IUrlHelper.SignedContent</c>, the
/// components) mint: for a viewer, through the generator's rules, with the app's PathBase in front. The generator
/// owns every rule; this only says who the viewer is and where the app is mounted.
/// </summary>
internal static class ViewerLinks
{
    private static readonly SignedUrlOptions Defaults = new();

    /// <summary>The generator registered by <c>AddSignedStaticFiles</c>, or a clear error naming the call that is missing.</summary>
    public static ISignedUrlGenerator GeneratorFrom(IServiceProvider? services, string caller) =>
        services?.GetService<ISignedUrlGenerator>()
        ?? throw new InvalidOperationException(
            $"SignedStaticFiles services are not registered: call builder.Services.AddSignedStaticFiles(...) before using {caller}.");

    /// <summary>
    /// Mints <paramref name="path"/> for <paramref name="user"/> and puts <paramref name="pathBase"/> in front; throws
    /// as <see cref="ISignedUrlGenerator.GetSignedUrl(string, SignedUrlOptions)"/> does (<c>ParamName</c> <c>"path"</c>
    /// or <c>"options"</c>).
    /// </summary>
    public static string GetSignedUrl(ISignedUrlGenerator generator, ClaimsPrincipal? user, PathString pathBase, string path, SignedUrlOptions? options)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= Defaults;
        string url;
        if (generator is SignedUrlGenerator ours)
        {
            var fault = ours.MintFor(user, path, options, out var minted, out var message);
            if (fault != MintFault.None)
            {
                throw SignedUrlGenerator.ToException(fault, message, lifetimeParameter: "options", options.Lifetime);
            }

            url = minted!;
        }
        else
        {
            url = generator.GetSignedUrl(path, ForOtherGenerator(user, options));
        }

        return WithPathBase(pathBase, url);
    }

    /// <summary>
    /// The non-throwing form for callers that name their own parameters (the components): the fault, and the message
    /// to show. An application's own generator is asked through the public contract; its
    /// <see cref="ArgumentException"/> is mapped by <c>ParamName</c>.
    /// </summary>
    public static MintFault TryMint(ISignedUrlGenerator generator, ClaimsPrincipal? user, string path, SignedUrlOptions options, out string? url, out string message)
    {
        if (generator is SignedUrlGenerator ours)
        {
            return ours.MintFor(user, path, options, out url, out message);
        }

        try
        {
            url = generator.GetSignedUrl(path, ForOtherGenerator(user, options));
            message = string.Empty;
            return MintFault.None;
        }
        catch (ArgumentException e)
        {
            url = null;
            message = e.Message;
            return e is ArgumentOutOfRangeException ? MintFault.Lifetime : e.ParamName == "path" ? MintFault.Path : MintFault.OptionsTooLong;
        }
    }

    /// <summary>
    /// The browser needs the PathBase in front; the token binds the PathBase-relative path, so a link survives proxies
    /// and virtual directories.
    /// </summary>
    public static string WithPathBase(PathString pathBase, string url) =>
        pathBase.HasValue ? pathBase.ToUriComponent() + url : url;

    /// <summary>
    /// An application's own generator knows only the public contract: the viewer is bound through
    /// <see cref="SignedUrlOptions.UserId"/> with the default claim type. A signed-in viewer without that claim is an
    /// error, never a link anyone holding it could open.
    /// </summary>
    private static SignedUrlOptions ForOtherGenerator(ClaimsPrincipal? user, SignedUrlOptions options)
    {
        if (options.UserId is not null || !options.BindToUser || user?.Identity?.IsAuthenticated != true)
        {
            return options;
        }

        return user.FindFirst(ClaimTypes.NameIdentifier)?.Value is { Length: > 0 } userId
            ? SignedUrlGenerator.Copy(options, userId)
            : throw new ArgumentException(
                $"the signed-in user has no '{ClaimTypes.NameIdentifier}' claim to bind the link to; add that claim at sign-in, or mint a link that is not bound to the user.",
                nameof(options));
    }
}
