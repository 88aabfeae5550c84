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

        var stream = info.CreateReadStream();
        if (offset > 0)
        {
            stream.Seek(offset, SeekOrigin.Begin);
        }

        return ValueTask.FromResult<Stream>(length is { } count ? new LengthLimitedStream(stream, count) : stream);
    }
}
