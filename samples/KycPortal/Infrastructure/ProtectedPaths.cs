using Microsoft.Extensions.Options;
using SignedStaticFiles;

namespace KycPortal.Infrastructure;

/// <summary>
/// The one place that knows where the submissions' files are served: the request path of the signed-files
/// folder comes from its options (Program.cs, appsettings.json), never from a literal in a view or the audit.
/// Turns a stored path (<c>kyc/{key}/{file}</c>) into the app path a link is minted for, and a request path,
/// however it was spelled, back into the storage key it names.
/// </summary>
public sealed class ProtectedPaths(IOptionsMonitor<SignedStaticFilesOptions> options)
{
    /// <summary>The folder's request path (default <c>/protected</c>).</summary>
    public PathString RequestPath => options.Get(Options.DefaultName).RequestPath;

    /// <summary>The app-relative path to mint a link for: <c>~/protected/kyc/{key}/{file}</c>.</summary>
    public string Link(string storedPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(storedPath);
        return "~" + RequestPath.Add("/" + storedPath).Value;
    }

    /// <summary>
    /// The request path of a stored file as the middleware sees it when a link is used: <c>/protected/kyc/{key}/{file}</c>.
    /// </summary>
    public string RequestPathOf(string storedPath) => RequestPath.Add("/" + storedPath).Value!;

    /// <summary>
    /// Reads the storage key and the stored path out of a request path in its one normal form: percent-decoded
    /// once (<c>%2F</c> is a slash), runs of slashes collapsed, the folder and the submissions' subfolder matched
    /// case-insensitively (as the middleware matches the folder), the key lower-cased (keys are lower-case hex).
    /// False when the path names no submission's file.
    /// </summary>
    public bool TryReadStoredPath(string requestPath, out string storageKey, out string storedPath)
    {
        storageKey = storedPath = "";
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(requestPath);
        }
        catch (UriFormatException)
        {
            return false;
        }

        var segments = decoded.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var folder = RequestPath.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length != folder.Length + 3
            || !segments.AsSpan(0, folder.Length).SequenceEqual(folder, StringComparer.OrdinalIgnoreCase)
            || !string.Equals(segments[folder.Length], Services.SubmissionStore.FolderName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var key = segments[folder.Length + 1].ToLowerInvariant();
        if (!Services.SubmissionStore.IsStorageKey(key))
        {
            return false;
        }

        storageKey = key;
        storedPath = $"{Services.SubmissionStore.FolderName}/{key}/{segments[folder.Length + 2].ToLowerInvariant()}";
        return true;
    }
}
