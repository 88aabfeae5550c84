using Microsoft.Extensions.FileProviders;

namespace SignedStaticFiles.Stores;

/// <summary>
/// The local folder as an <see cref="ISignedFileStore"/>, for the image engine and any step that reads a
/// file. Plain files of a local folder are served by the framework's own static-file middleware; this store is
/// asked only when a step needs the bytes. Local disk reads complete synchronously, so the async signatures
/// cost nothing here.
/// </summary>
internal sealed class PhysicalFolderStore(IFileProvider files, string scope) : ISignedFileStore
{
    public string Scope { get; } = scope;

    public IFileProvider Files { get; } = files;

    public ValueTask<SignedFileInfo?> GetFileAsync(string path, CancellationToken cancellationToken)
    {
        var file = Files.GetFileInfo(path);
        return ValueTask.FromResult(file.Exists && !file.IsDirectory
            ? new SignedFileInfo { Path = path, Length = file.Length, LastModified = file.LastModified, State = file }
            : null);
    }

    public ValueTask<Stream> OpenReadAsync(SignedFileInfo file, long offset, long? length, CancellationToken cancellationToken)
    {
        var info = file.State as IFileInfo ?? Files.GetFileInfo(file.Path);
        if (!info.Exists || info.IsDirectory || info.Length != file.Length || info.LastModified != file.LastModified)
        {
            throw new SignedFileChangedException();
        }

        Stream stream;
        if (info.PhysicalPath is { } physicalPath)
        {
            // The file info was read at look-up, and a path can name another file by now (replaced by an upload,
            // say): judge the file actually opened, through its handle, so that bytes judged once (the image
            // engine's content check) and bytes sent are of the same file. Tests: ReplacedAfterTheCheckTests.
            var opened = new FileStream(physicalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.Asynchronous);
            if (RandomAccess.GetLength(opened.SafeFileHandle) != file.Length
                || new DateTimeOffset(File.GetLastWriteTimeUtc(opened.SafeFileHandle)) != file.LastModified)
            {
                opened.Dispose();
                throw new SignedFileChangedException();
            }

            stream = opened;
        }
        else
        {
            stream = info.CreateReadStream();
        }

        if (offset > 0)
        {
            stream.Seek(offset, SeekOrigin.Begin);
        }

        return ValueTask.FromResult<Stream>(length is { } count ? new ObjectReadStream(stream, owner: null, skip: 0, count) : stream);
    }
}
