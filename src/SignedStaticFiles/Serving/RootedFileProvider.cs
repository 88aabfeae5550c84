using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Primitives;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Serving;

/// <summary>
/// The protected folder on disk: the path rules of a <see cref="PhysicalFileProvider"/> (nothing above its root,
/// no rooted or invalid paths), the exclusions of <see cref="ExclusionFilters.Sensitive"/> (dot-files, hidden and
/// system files), and no path passing through a symbolic link below the root. A link inside the folder could
/// point anywhere (T6); links are not followed at all rather than judged. The root itself may be a link.
/// </summary>
/// <remarks>
/// One status call for the file, as the framework's provider makes, tells both whether it exists and whether it
/// is itself a link; each folder between the root and the file costs one more call (a file two folders down:
/// three calls). A path the decision lets through (<see cref="SignedPath.IsSafe"/>) is normalised once, by
/// <see cref="FileInfo"/>: for such a path the framework's rules come down to joining it to the root, so they are
/// asked only for other shapes. docs/performance.md: FileProviderBenchmarks.
/// </remarks>
internal sealed class RootedFileProvider : IFileProvider, IDisposable
{
    // No exclusions here: they need the file's status, which this class reads once itself.
    private readonly PhysicalFileProvider _paths;
    private readonly string _root;
    private readonly string _rootWithSeparator;

    /// <summary>
    /// The characters the framework refuses in a subpath: what the platform forbids in a file name, separators aside
    /// (on Windows ':' — an alternate data stream: "a.txt:x", "a.txt::$DATA" —, '*', '?', '"', '&lt;', '&gt;', '|';
    /// elsewhere NUL only, which <see cref="SignedPath.IsSafe"/> already refuses). A safe path holding one gets the
    /// framework's rules, which answer "not found".
    /// </summary>
    private static readonly System.Buffers.SearchValues<char> ForbiddenInNames = System.Buffers.SearchValues.Create(
        Path.GetInvalidFileNameChars().Where(c => c != Path.DirectorySeparatorChar && c != Path.AltDirectorySeparatorChar).ToArray());

    public RootedFileProvider(string root)
    {
        _paths = new PhysicalFileProvider(root, ExclusionFilters.None);
        _root = _paths.Root.TrimEnd(Path.DirectorySeparatorChar);
        _rootWithSeparator = _paths.Root;
    }

    public IFileInfo GetFileInfo(string subpath)
    {
        // A safe path ('/' then plain names: no '.', '..', empty or dot segment, backslash or control character) joins
        // the root as it is; any other shape gets the framework's path rules, without touching the disk (with no
        // exclusions it reads no status). Either way the result must lie below the root.
        var physicalPath = SignedPath.IsSafe(subpath) && !subpath.AsSpan().ContainsAny(ForbiddenInNames)
            ? _root + subpath
            : _paths.GetFileInfo(subpath).PhysicalPath;
        if (physicalPath is null)
        {
            return new NotFoundFileInfo(subpath);
        }

        var file = new FileInfo(physicalPath);
        if (!file.FullName.StartsWith(_rootWithSeparator, StringComparison.Ordinal) || !file.Exists)
        {
            return new NotFoundFileInfo(subpath);
        }

        // ExclusionFilters.Sensitive, as the framework applies it; ReparsePoint: the file itself is a link.
        var attributes = file.Attributes;
        if (file.Name.StartsWith('.')
            || (attributes & (FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint)) != 0
            || FolderIsLink(file.FullName))
        {
            return new NotFoundFileInfo(subpath);
        }

        return new PhysicalFileInfo(file);
    }

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    public void Dispose() => _paths.Dispose();

    /// <summary>Whether any folder above <paramref name="fullName"/>, up to the root (excluded), is a link.</summary>
    private bool FolderIsLink(string fullName)
    {
        // A file right below the root (the common case) has no folder to ask, and costs no string.
        if (fullName.LastIndexOf(Path.DirectorySeparatorChar) < _rootWithSeparator.Length)
        {
            return false;
        }

        for (var path = Path.GetDirectoryName(fullName);
             path is not null && path.Length > _root.Length && path.StartsWith(_root, StringComparison.Ordinal);
             path = Path.GetDirectoryName(path))
        {
            if (Directory.ResolveLinkTarget(path, returnFinalTarget: false) is not null)
            {
                return true;
            }
        }

        return false;
    }
}
