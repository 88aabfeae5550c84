namespace KycPortal.Storage;

/// <summary>The app's two signed folders: the identity documents and the contracts.</summary>
public enum KycFolder
{
    /// <summary>The identity images (the default folder, <c>/protected</c>).</summary>
    Documents,

    /// <summary>The agreements (PDF, the <c>contracts</c> folder, <c>/contracts</c>).</summary>
    Contracts,
}
