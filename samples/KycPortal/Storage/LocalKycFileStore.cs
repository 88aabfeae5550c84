using KycPortal.Infrastructure;

namespace KycPortal.Storage;

/// <summary>The default: files under the data folder (<c>App_Data/protected</c>, <c>App_Data/contracts</c>).</summary>
public sealed class LocalKycFileStore(KycPaths paths) : IKycFileStore
{
    public async Task WriteAsync(KycFolder folder, string relativePath, byte[] content, CancellationToken cancellationToken)
    {
        var file = folder == KycFolder.Contracts ? paths.ContractFile(relativePath) : paths.ProtectedFile(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
        await stream.WriteAsync(content, cancellationToken);
    }

    public Task DeleteAsync(KycFolder folder, string relativePath, CancellationToken cancellationToken)
    {
        var file = folder == KycFolder.Contracts ? paths.ContractFile(relativePath) : paths.ProtectedFile(relativePath);
        File.Delete(file);

        // The submission's folder goes with its last file.
        var directory = Path.GetDirectoryName(file)!;
        if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
        }

        return Task.CompletedTask;
    }
}
