using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Primitives;

namespace SignedStaticFiles.Serving;

/// <summary>
/// The protected folder on disk: a <see cref="PhysicalFileProvider"/> (which already refuses paths above
/// its root and, with <see cref="ExclusionFilters.Sensitive"/>, dot-files, hidden and system files) that
/// also refuses any path passing through a symbolic link below the root. A link inside the folder could
/// point anywhere (T6); links are not followed at all rather than judged. The root itself may be a link.
/// </summary>
internal sealed class RootedFileProvider : IFileProvider, IDisposable
{
    private readonly PhysicalFileProvider _inner;
    private readonly string _root;

    public RootedFileProvider(string root)
    {
        _inner = new PhysicalFileProvider(root, ExclusionFilters.Sensitive);
        _root = _inner.Root.TrimEnd(Path.DirectorySeparatorChar);
    }

    public IFileInfo GetFileInfo(string subpath)
    {
        var file = _inner.GetFileInfo(subpath);
        return file.Exists && file.PhysicalPath is { } physicalPath && PassesThroughLink(physicalPath)
            ? new NotFoundFileInfo(subpath)
            : file;
    }

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    public void Dispose() => _inner.Dispose();

    private bool PassesThroughLink(string physicalPath)
    {
        for (var path = physicalPath;
             path.Length > _root.Length && path.StartsWith(_root, StringComparison.Ordinal);
             path = Path.GetDirectoryName(path)!)
        {
            if (new FileInfo(path).LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }
}
