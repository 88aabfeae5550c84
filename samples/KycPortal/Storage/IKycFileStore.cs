namespace KycPortal.Storage;

/// <summary>
/// Where the app writes and deletes the submissions' files: a local folder, an S3 bucket or an Azure Blob
/// container ("KycPortal:Store"). The package only reads (its folders are configured over the same place in
/// Program.cs); writing the uploads and deleting a closed account's files is the app's part.
/// </summary>
public interface IKycFileStore
{
    /// <summary>Writes a new file at <paramref name="relativePath"/> (<c>kyc/{key}/{name}</c>) of <paramref name="folder"/>.</summary>
    Task WriteAsync(KycFolder folder, string relativePath, byte[] content, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the file at <paramref name="relativePath"/> of <paramref name="folder"/>; a file that is not there is
    /// not an error. One named file at a time, never a listing: a bucket policy needs no list permission for it.
    /// </summary>
    Task DeleteAsync(KycFolder folder, string relativePath, CancellationToken cancellationToken);
}
