using System.Buffers.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SignedStaticFiles.Diagnostics;
using SignedStaticFiles.Folders;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Revocation;

/// <summary>
/// The <see cref="ISignedUrlRevoker"/>: checks the input, stamps the revocation, enforces it on this node at once,
/// then stores it (a farm's store) — throwing when it cannot, so that a revocation is never silently lost.
/// </summary>
internal sealed class SignedUrlRevoker(
    RevocationList revocations, SignedFolderRegistry folders, ILoggerFactory? loggerFactory = null, IRevocationStore? store = null) : ISignedUrlRevoker
{
    private readonly ILogger _logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("SignedStaticFiles");

    public ValueTask RevokeLinkAsync(string linkId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(linkId);
        if (linkId.Length != 16 || linkId.AsSpan().ContainsAnyExcept(SignedLinkProtector.TokenAlphabet) || !Base64Url.IsValid(linkId))
        {
            throw new ArgumentException("A link id is 16 base64url characters, as SignedFileEventContext.LinkId and the logs report it.", nameof(linkId));
        }

        return RevokeAsync(RevocationKind.Link, linkId, cancellationToken);
    }

    public ValueTask RevokeUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        if (userId.Length is 0 or > 1024)
        {
            throw new ArgumentException("A user id is 1 to 1024 characters, as links are bound to it (SignedUrlOptions.UserId).", nameof(userId));
        }

        return RevokeAsync(RevocationKind.User, userId, cancellationToken);
    }

    public ValueTask RevokePathAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        return RevokeAsync(RevocationKind.Path, NormalizePath(path, folders), cancellationToken);
    }

    public ValueTask RevokeAllAsync(CancellationToken cancellationToken = default) =>
        RevokeAsync(RevocationKind.All, string.Empty, cancellationToken);

    /// <summary>
    /// <c>~/a/b/</c> or <c>/a/b</c> → <c>/a/b</c>, the form links carry; refuses what could match no link, above all
    /// a path under no folder (a forgotten <c>RequestPath</c> prefix would otherwise revoke nothing, silently).
    /// </summary>
    internal static string NormalizePath(string path, SignedFolderRegistry folders)
    {
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        if (!SignedPath.TryForSigning(trimmed, out var appPath, out var message))
        {
            throw new ArgumentException(message.Replace("cannot be signed", "cannot be revoked", StringComparison.Ordinal), nameof(path));
        }

        if (folders.Match(new PathString(appPath), out _) is null)
        {
            throw new ArgumentException(
                $"'{path}' is under no protected folder ({string.Join(", ", folders.Folders.Select(f => "'" + f.RequestPath + "'"))}): it could match no link. Revoke the path as links are minted for it, with the folder's RequestPath.",
                nameof(path));
        }

        return appPath;
    }

    private async ValueTask RevokeAsync(RevocationKind kind, string key, CancellationToken cancellationToken)
    {
        var entry = revocations.NewRevocation(kind, key);

        // Enforced here before it is stored: a store that fails leaves at least this node refusing the links.
        revocations.Apply(entry);
        SignedStaticFilesLog.Revoked(_logger, kind, key, DateTimeOffset.FromUnixTimeMilliseconds(entry.CutoffMs));
        if (store is null)
        {
            return;
        }

        try
        {
            await store.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            SignedStaticFilesLog.RevocationNotStored(_logger, kind, key, store.Name, exception);
            throw;
        }
    }
}
