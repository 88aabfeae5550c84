using System.Xml.Linq;

namespace SignedStaticFiles.Tests.Watermarking;

/// <summary>
/// The core references no imaging library, so an app that uses any version of ImageSharp (4.x included)
/// beside it starts and serves: the v1 core's open-ended ImageSharp dependency and its eager pipeline made
/// such an app fail at startup with a TypeLoadException. The image engine lives in SignedStaticFiles.ImageSharp.
/// </summary>
public sealed class CoreHasNoImagingDependencyTests
{
    private static readonly string[] ImagingAssemblies = ["SixLabors.", "SkiaSharp", "HarfBuzzSharp", "System.Drawing"];

    [Fact]
    public void CoreAssembly_ReferencesNoImagingAssembly()
    {
        var references = typeof(ISignedUrlGenerator).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, name => ImagingAssemblies.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public void CoreProject_HasNoImagingPackageReference()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "SignedStaticFiles", "SignedStaticFiles.csproj"));
        var packages = project.Descendants("PackageReference").Select(p => (string?)p.Attribute("Include") ?? string.Empty).ToList();
        Assert.DoesNotContain(packages, name => ImagingAssemblies.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public void CorePublicApi_HasNoImagingType()
    {
        foreach (var type in typeof(ISignedUrlGenerator).Assembly.GetExportedTypes())
        {
            foreach (var member in type.GetMembers())
            {
                var signature = member.ToString() ?? string.Empty;
                Assert.DoesNotContain("SixLabors", signature, StringComparison.Ordinal);
            }
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SignedStaticFiles.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}
