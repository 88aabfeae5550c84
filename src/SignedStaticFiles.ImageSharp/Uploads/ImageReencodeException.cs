namespace SignedStaticFiles.ImageSharp;

/// <summary>
/// An upload that <see cref="SafeImageReencoder"/> refuses, with the reason in <see cref="Error"/>. The message
/// is meant for logs; show users a text of your own per <see cref="ImageReencodeError"/>.
/// </summary>
public sealed class ImageReencodeException : Exception
{
    /// <summary>Creates the exception with <see cref="ImageReencodeError.Corrupt"/>.</summary>
    public ImageReencodeException()
    {
    }

    /// <summary>Creates the exception with <see cref="ImageReencodeError.Corrupt"/> and a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ImageReencodeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <see cref="ImageReencodeError.Corrupt"/>, a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ImageReencodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="error">Why the upload is refused.</param>
    /// <param name="message">What went wrong, for logs.</param>
    /// <param name="innerException">The decoder's exception, if any.</param>
    public ImageReencodeException(ImageReencodeError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>Why the upload is refused. Default <see cref="ImageReencodeError.Corrupt"/>.</summary>
    public ImageReencodeError Error { get; } = ImageReencodeError.Corrupt;
}
