namespace SignedStaticFiles.Signing;

/// <summary>
/// Which input of a mint is at fault: the generator owns every minting rule and says which one failed;
/// tag helpers and components map the fault to their attribute, the public overloads to a parameter name.
/// </summary>
internal enum MintFault
{
    None,
    Path,
    Lifetime,
    UserId,
    DownloadFileName,
    WatermarkText,
    Redaction,
    RedactionRegions,

    /// <summary>The URL would exceed <see cref="SignedStaticFilesOptions.MaxUrlLength"/> because of the path.</summary>
    PathTooLong,

    /// <summary>The URL would exceed <see cref="SignedStaticFilesOptions.MaxUrlLength"/> because of what the options seal in it.</summary>
    OptionsTooLong,
}
