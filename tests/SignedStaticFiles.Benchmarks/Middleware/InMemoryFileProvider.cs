using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace SignedStaticFiles.Benchmarks.Middleware;

/// <summary>Files held in memory, so that a benchmark of the request path measures no disk I/O.</summary>
internal sealed class InMemoryFileProvider(IReadOnlyDictionary<string, byte[]> files) : IFileProvider
{
    private static readonly DateTimeOffset Modified = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public IFileInfo GetFileInfo(string subpath) =>
        files.TryGetValue(subpath, out var content) ? new File(subpath, content) : new NotFoundFileInfo(subpath);

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    private sealed class File(string path, byte[] content) : IFileInfo
    {
        public bool Exists => true;
        public long Length => content.Length;
        public string? PhysicalPath => null;
        public string Name => Path.GetFileName(path);
        public DateTimeOffset LastModified => Modified;
        public bool IsDirectory => false;
        public Stream CreateReadStream() => new MemoryStream(content, writable: false);
    }
}
