namespace SignedStaticFiles.Stores;

/// <summary>
/// Thrown by <see cref="ISignedFileStore.OpenReadAsync"/> when the stored object is no longer the version
/// that was looked up (overwritten or deleted meanwhile): the answer is never a mix of two versions.
/// </summary>
public sealed class SignedFileChangedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SignedFileChangedException()
        : base("The stored file changed while it was being served.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What changed.</param>
    public SignedFileChangedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What changed.</param>
    /// <param name="innerException">The store's own error.</param>
    public SignedFileChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
