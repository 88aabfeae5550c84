namespace SignedStaticFiles;

/// <summary>Mints signed links to files of the protected folder.</summary>
public interface ISignedUrlGenerator
{
    /// <summary>
    /// Returns <paramref name="path"/> percent-encoded with the token appended
    /// (<c>/protected/kyc/42/front.jpg?token=…</c>).
    /// </summary>
    /// <param name="path">
    /// The app-relative, unencoded path of the file (<c>/protected/…</c> or <c>~/protected/…</c>), without
    /// the request's PathBase. Characters such as space, <c>#</c>, <c>?</c>, <c>%</c> are part of the file name.
    /// </param>
    /// <param name="lifetime">How long the link works; default <see cref="SignedStaticFilesOptions.DefaultLifetime"/>.</param>
    /// <exception cref="ArgumentException">The path is empty, absolute (has a scheme or host), or has
    /// <c>.</c>/<c>..</c>/dot-file segments, backslashes or control characters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The lifetime is not positive or above <see cref="SignedStaticFilesOptions.MaxLifetime"/>.</exception>
#pragma warning disable RS0027 // The two overloads are the fixed public contract (DESIGN.md §2).
    string GetSignedUrl(string path, TimeSpan? lifetime = null);
#pragma warning restore RS0027

    /// <summary>Returns <paramref name="path"/> percent-encoded with a token carrying <paramref name="options"/>.</summary>
    /// <param name="path">The app-relative, unencoded path of the file; see <see cref="GetSignedUrl(string, TimeSpan?)"/>.</param>
    /// <param name="options">What the link carries besides its path.</param>
    /// <exception cref="ArgumentException">The path or an option value is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The lifetime is not positive or above <see cref="SignedStaticFilesOptions.MaxLifetime"/>.</exception>
    string GetSignedUrl(string path, SignedUrlOptions options);

    /// <summary>
    /// Like <see cref="GetSignedUrl(string, SignedUrlOptions)"/>, but returns <see langword="false"/> (and a
    /// <see langword="null"/> URL) instead of throwing for anything that overload throws for, for an empty
    /// <see cref="SignedUrlOptions.UserId"/>, and for options the folder cannot honour. Never throws on bad input:
    /// meant for paths built from user input.
    /// </summary>
    /// <param name="path">The app-relative, unencoded path of the file.</param>
    /// <param name="options">What the link carries besides its path.</param>
    /// <param name="url">The signed URL, or <see langword="null"/>.</param>
    /// <returns>Whether a link was minted.</returns>
    bool TryGetSignedUrl(string path, SignedUrlOptions options, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? url)
    {
        if (path is null || options is null)
        {
            url = null;
            return false;
        }

        try
        {
            url = GetSignedUrl(path, options);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            url = null;
            return false;
        }
    }
}
