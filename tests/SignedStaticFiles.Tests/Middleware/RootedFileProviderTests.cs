using Microsoft.Extensions.FileProviders;
using SignedStaticFiles.Serving;

namespace SignedStaticFiles.Tests.Middleware;

/// <summary>
/// The protected folder's file provider on its own (T6): what <see cref="PhysicalFileProvider"/> with
/// <see cref="Microsoft.Extensions.FileProviders.Physical.ExclusionFilters.Sensitive"/> refuses, plus every path
/// through a symbolic link at any depth below the root — whatever the request pipeline checked before it.
/// </summary>
public sealed class RootedFileProviderTests : IDisposable
{
    private readonly string _outside = Directory.CreateTempSubdirectory("ssf-outside-").FullName;
    private readonly string _root = Directory.CreateTempSubdirectory("ssf-rooted-").FullName;
    private readonly RootedFileProvider _provider;

    public RootedFileProviderTests()
    {
        Write(Path.Combine(_outside, "secret.txt"));
        Directory.CreateDirectory(Path.Combine(_outside, "d1", "d2"));
        Write(Path.Combine(_outside, "d1", "d2", "secret.txt"));

        Write(Path.Combine(_root, "a.txt"));
        Write(Path.Combine(_root, "applicants", "a1", "id", "card.jpg"));
        Write(Path.Combine(_root, ".env"));
        Write(Path.Combine(_root, "applicants", ".hidden.jpg"));
        File.CreateSymbolicLink(Path.Combine(_root, "leaf-link.txt"), Path.Combine(_outside, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(_root, "applicants", "a1", "deep-link.txt"), Path.Combine(_outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "top-dir-link"), _outside);
        Directory.CreateSymbolicLink(Path.Combine(_root, "applicants", "mid-dir-link"), Path.Combine(_outside, "d1"));
        // A link to a file inside the folder is refused too: links are not judged, only refused.
        File.CreateSymbolicLink(Path.Combine(_root, "inside-link.txt"), Path.Combine(_root, "a.txt"));
        _provider = new RootedFileProvider(_root);
    }

    [Theory]
    [InlineData("/a.txt")]
    [InlineData("a.txt")]
    [InlineData("/applicants/a1/id/card.jpg")]
    public void RegularFile_IsFound_WithItsLengthAndPhysicalPath(string subpath)
    {
        var file = _provider.GetFileInfo(subpath);

        Assert.True(file.Exists);
        Assert.Equal(5, file.Length);
        Assert.False(file.IsDirectory);
        Assert.StartsWith(_root, file.PhysicalPath, StringComparison.Ordinal);
        using var stream = file.CreateReadStream();
        Assert.Equal(5, stream.Length);
    }

    [Theory]
    [InlineData("/leaf-link.txt")]
    [InlineData("/applicants/a1/deep-link.txt")]
    [InlineData("/top-dir-link/secret.txt")]
    [InlineData("/top-dir-link/d1/d2/secret.txt")]
    [InlineData("/applicants/mid-dir-link/d2/secret.txt")]
    [InlineData("/inside-link.txt")]
    public void PathThroughALink_IsNotFound(string subpath) => Assert.False(_provider.GetFileInfo(subpath).Exists);

    [Theory]
    [InlineData("/.env")]
    [InlineData("/applicants/.hidden.jpg")]
    [InlineData("/../" + "x")]
    [InlineData("/applicants/../../secret.txt")]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/applicants")]
    [InlineData("/missing.txt")]
    public void SensitiveOutsideOrMissing_IsNotFound(string subpath) => Assert.False(_provider.GetFileInfo(subpath).Exists);

    [Fact]
    public void AbsolutePathOutsideTheRoot_IsNotFound() =>
        Assert.False(_provider.GetFileInfo(Path.Combine(_outside, "secret.txt")).Exists);

    public void Dispose()
    {
        _provider.Dispose();
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private static void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "hello");
    }
}
