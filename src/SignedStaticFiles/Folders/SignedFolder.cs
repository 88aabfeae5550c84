using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using SignedStaticFiles.Signing;
using SignedStaticFiles.Stores;
using SignedStaticFiles.Variants;

namespace SignedStaticFiles.Folders;

/// <summary>
/// One protected folder, resolved once at startup: its options, where its files live, the protector that
/// scopes its links, and its image engine if it has one.
/// </summary>
internal sealed class SignedFolder
{
    public required string Name { get; init; }

    public required SignedStaticFilesOptions Options { get; init; }

    public PathString RequestPath => Options.RequestPath;

    /// <summary>Whether the folder's <see cref="SignedStaticFilesOptions.CacheControl"/> has a <c>max-age</c> to clamp (judged once, not per request).</summary>
    public bool CacheControlHasMaxAge => _hasMaxAge ??= Options.CacheControl.Contains("max-age", StringComparison.OrdinalIgnoreCase);

    private bool? _hasMaxAge;

    /// <summary><c>?{TokenParameterName}=</c>, escaped once.</summary>
    public string TokenQueryPrefix => _tokenQueryPrefix ??= "?" + Uri.EscapeDataString(Options.TokenParameterName) + "=";

    private string? _tokenQueryPrefix;

    /// <summary>Where the files are read from (the local folder, or a store registered on the builder).</summary>
    public required ISignedFileStore Store { get; init; }

    /// <summary>The local file provider when the files are on this machine (served by the framework's static-file middleware); null for an object store.</summary>
    public IFileProvider? LocalFiles { get; init; }

    /// <summary>Mints and validates this folder's links, scoped to <see cref="Scope"/>.</summary>
    public required SignedLinkProtector Protector { get; init; }

    /// <summary>What the folder's links are bound to (see <see cref="SignedStaticFilesOptions.LinkScope"/>).</summary>
    public required string Scope { get; init; }

    /// <summary>The image engine (<c>AddImageSharp()</c>), or null.</summary>
    public IVariantEngine? Engine { get; init; }
}
