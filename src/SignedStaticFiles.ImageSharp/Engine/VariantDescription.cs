using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using SignedStaticFiles.Stores;

namespace SignedStaticFiles.ImageSharp.Engine;

/// <summary>
/// One value that describes a variant: the source's identity (folder, store, path, the store's version,
/// length and time), the engine with its library versions, and the ordered steps (orient, redact, stamp,
/// strip metadata, encode) with everything that changes their output. The cache key and the strong ETag both
/// derive from it, so equal descriptions mean equal bytes on every node and any change makes a new variant.
/// </summary>
internal sealed class VariantDescription
{
    /// <summary>This engine and the libraries that shape its output.</summary>
    public static readonly string Engine = string.Join(';',
        Describe(typeof(VariantDescription).Assembly),
        Describe(typeof(SixLabors.ImageSharp.Image).Assembly),
        Describe(typeof(SkiaSharp.SKTypeface).Assembly),
        Describe(typeof(HarfBuzzSharp.Buffer).Assembly));

    public VariantDescription(string folderName, ISignedFileStore store, SignedFileInfo file, IReadOnlyList<IVariantStep> steps, EncodeStep encode)
    {
        Steps = steps;
        Encode = encode;
        var text = new StringBuilder(256);
        text.Append(Engine).Append('\n');
        text.Append("folder=").Append(folderName.Length).Append(':').Append(folderName)
            .Append(";store=").Append(store.Scope.Length).Append(':').Append(store.Scope)
            .Append(";path=").Append(file.Path.Length).Append(':').Append(file.Path)
            .Append(";length=").Append(file.Length)
            .Append(";modified=").Append(file.LastModified.UtcTicks)
            .Append(";version=").Append(file.Version ?? "-").Append('\n');
        foreach (var step in steps)
        {
            step.Describe(text);
            text.Append('\n');
        }

        encode.Describe(text);
        Canonical = text.ToString();
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(Canonical), digest);
        Key = System.Buffers.Text.Base64Url.EncodeToString(digest[..18]);
        ETag = "\"v-" + Key + "\"";
    }

    /// <summary>The transforming steps, in order.</summary>
    public IReadOnlyList<IVariantStep> Steps { get; }

    /// <summary>The final encode.</summary>
    public EncodeStep Encode { get; }

    /// <summary>The full description (for tests and diagnostics; contains the stamp text, never logged).</summary>
    public string Canonical { get; }

    /// <summary>The cache key: a hash of <see cref="Canonical"/>.</summary>
    public string Key { get; }

    /// <summary>The strong entity tag, quoted.</summary>
    public string ETag { get; }

    private static string Describe(Assembly assembly) =>
        assembly.GetName().Name + "/" + (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString());
}
