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
}
