using Microsoft.AspNetCore.Http;

namespace SignedStaticFiles;

/// <summary>One decision of the middleware, as given to <see cref="SignedStaticFilesEvents"/>. Never carries the token.</summary>
public sealed class SignedFileEventContext
{
    internal SignedFileEventContext(HttpContext httpContext, string path, SignedFileOutcome outcome, string? boundUserId, string? linkId)
    {
        HttpContext = httpContext;
        Path = path;
        Outcome = outcome;
        BoundUserId = boundUserId;
        LinkId = linkId;
    }

    /// <summary>The request.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The requested path, PathBase-relative and unencoded (<c>/protected/kyc/42/front.jpg</c>).</summary>
    public string Path { get; }

    /// <summary>What the middleware decided.</summary>
    public SignedFileOutcome Outcome { get; }

    /// <summary>The HTTP status code of the answer.</summary>
    public int StatusCode => HttpContext.Response.StatusCode;

    /// <summary>The user the link is bound to, when the token was genuine and bound; otherwise <see langword="null"/>.</summary>
    public string? BoundUserId { get; }

    /// <summary>
    /// A short random identifier of the link (16 characters), when the token was genuine; otherwise
    /// <see langword="null"/>. Safe to store: it cannot be turned back into the link.
    /// </summary>
    public string? LinkId { get; }
}
