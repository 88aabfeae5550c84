using System.Buffers;
using System.Text;

namespace SignedStaticFiles.Signing;

/// <summary>The path rules shared by minting (refuse to sign) and serving (refuse to look up).</summary>
internal static class SignedPath
{
    /// <summary>
    /// Turns <c>~/a/b</c> or <c>/a/b</c> into <c>/a/b</c>, or throws when the path could name anything
    /// but one file below its folder: an app that signs user input must not be tricked into signing
    /// <c>/protected/../appsettings.json</c>.
    /// </summary>
    public static string ForSigning(string path, string paramName)
    {
        ArgumentNullException.ThrowIfNull(path, paramName);
        return TryForSigning(path, out var appPath, out var message) ? appPath : throw new ArgumentException(message, paramName);
    }

    /// <summary>The non-throwing form of <see cref="ForSigning"/>.</summary>
    public static bool TryForSigning(string? path, out string appPath, out string message)
    {
        appPath = string.Empty;
        message = string.Empty;
        if (path is null)
        {
            message = "The path must not be null.";
            return false;
        }

        var candidate = path.StartsWith("~/", StringComparison.Ordinal) ? path[1..] : path;
        if (candidate.Length < 2 || candidate[0] != '/' || candidate[1] == '/')
        {
            message = $"'{path}' is not an app-relative path such as '/protected/file.jpg' or '~/protected/file.jpg' (absolute URLs cannot be signed).";
            return false;
        }

        if (!IsSafe(candidate) || candidate.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') && !IsWellFormedUtf16(candidate))
        {
            message = $"'{path}' cannot be signed: it has an empty, '.', '..' or dot-file segment, a backslash, a control character or a lone surrogate.";
            return false;
        }

        appPath = candidate;
        return true;
    }

    private static bool IsWellFormedUtf16(string value) => System.Text.Unicode.Utf8.FromUtf16(value, new byte[value.Length * 3], out _, out _, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done;

    /// <summary>
    /// True when every segment of <paramref name="path"/> (which starts with '/') is a plain name:
    /// not empty, not starting with '.' (which also rules out '.' and '..'), no backslash (a separator
    /// on Windows), no control character (NUL truncates paths in native code).
    /// </summary>
    public static bool IsSafe(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty || path[0] != '/')
        {
            return false;
        }

        var segmentStart = true;
        for (var i = 1; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '/')
            {
                if (segmentStart)
                {
                    return false;
                }

                segmentStart = true;
                continue;
            }

            if ((segmentStart && c == '.') || c == '\\' || char.IsControl(c))
            {
                return false;
            }

            segmentStart = false;
        }

        return !segmentStart;
    }

    private static readonly SearchValues<char> PathChars = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/");

    /// <summary>
    /// Percent-encodes every character that is not allowed as-is in a URL path (RFC 3986 pchar),
    /// <c>%</c> included: unlike <c>PathString.ToUriComponent</c>, which keeps an existing <c>%41</c> as an
    /// escape, a file literally named <c>%41.txt</c> must come back as <c>%41.txt</c>, not <c>A.txt</c>.
    /// </summary>
    public static string Encode(string path)
    {
        var firstToEscape = path.AsSpan().IndexOfAnyExcept(PathChars);
        if (firstToEscape < 0)
        {
            return path;
        }

        var builder = new StringBuilder(path.Length + 16);
        builder.Append(path, 0, firstToEscape);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = firstToEscape; i < path.Length; i++)
        {
            var c = path[i];
            if (PathChars.Contains(c))
            {
                builder.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < path.Length
                ? Encoding.UTF8.GetBytes(path.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(path.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    private const string HexUpper = "0123456789ABCDEF";
}
