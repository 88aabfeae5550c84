using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Primitives;

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
/// three calls). docs/performance.md: FileProviderBenchmarks.
/// </remarks>
internal sealed class RootedFileProvider : IFileProvider, IDisposable
{
    // No exclusions here: they need the file's status, which this class reads once itself.
    private readonly PhysicalFileProvider _paths;
    private readonly string _root;

    public RootedFileProvider(string root)
    {
        _paths = new PhysicalFileProvider(root, ExclusionFilters.None);
        _root = _paths.Root.TrimEnd(Path.DirectorySeparatorChar);
    }

    public IFileInfo GetFileInfo(string subpath)
    {
        // The framework's path rules, without touching the disk (with no exclusions it reads no status).
        if (_paths.GetFileInfo(subpath).PhysicalPath is not { } physicalPath)
        {
            return new NotFoundFileInfo(subpath);
        }

        var file = new FileInfo(physicalPath);
        if (!file.Exists)
        {
            return new NotFoundFileInfo(subpath);
        }

        // ExclusionFilters.Sensitive, as the framework applies it; ReparsePoint: the file itself is a link.
        var attributes = file.Attributes;
        if (file.Name.StartsWith('.')
            || (attributes & (FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint)) != 0
            || FolderIsLink(Path.GetDirectoryName(physicalPath)))
        {
            return new NotFoundFileInfo(subpath);
        }

        return new PhysicalFileInfo(file);
    }

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    public void Dispose() => _paths.Dispose();

    /// <summary>Whether <paramref name="folder"/> or any folder above it, up to the root (excluded), is a link.</summary>
    private bool FolderIsLink(string? folder)
    {
        for (var path = folder;
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
