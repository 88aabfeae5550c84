namespace SignedStaticFiles.Folders;

/// <summary>One per folder added with <c>AddSignedStaticFiles</c>: a folder exists only when registered.</summary>
internal sealed record SignedFolderRegistration(string Name)
{
    /// <summary>The configuration section bound to a folder: <c>SignedStaticFiles</c>, or <c>SignedStaticFiles:Folders:{name}</c>.</summary>
    public static string SectionOf(string name) =>
        name.Length == 0 ? SignedStaticFilesOptions.SectionName : SignedStaticFilesOptions.SectionName + ":Folders:" + name;
}
