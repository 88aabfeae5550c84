namespace SignedStaticFiles.Revocation;

/// <summary>What a revocation matches. The values are the one-letter codes stores write.</summary>
internal enum RevocationKind : byte
{
    /// <summary>One link, by its id.</summary>
    Link = (byte)'L',

    /// <summary>Every link bound to one user.</summary>
    User = (byte)'U',

    /// <summary>Every link to a file, or to any file below a folder.</summary>
    Path = (byte)'P',

    /// <summary>Every link.</summary>
    All = (byte)'A',
}
