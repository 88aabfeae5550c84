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

    /// <summary>
    /// Every shape of path and file against the rule's definition, computed the slow way: the framework's
    /// Sensitive provider finds it, and neither the file nor any folder between the root and it is a link (each
    /// asked on its own). Run from the real root and from a root reached through a link (allowed by design).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryPath_IsFoundExactlyWhenTheFrameworkFindsItAndNoPartBelowTheRootIsALink(bool rootThroughALink)
    {
        Write(Path.Combine(_root, "sp ace é ü.txt"));
        Write(Path.Combine(_root, "50%.txt"));
        Write(Path.Combine(_root, "%41.txt"));
        Write(Path.Combine(_root, "trail."));
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(Path.Combine(_root, "a.txt") + ":secret", "stream");   // an alternate data stream of a.txt
        }
        else
        {
            Write(Path.Combine(_root, "colon:name.txt"));                             // a plain name where ':' is allowed
        }

        Write(Path.Combine(_root, "a", "b", "c", "d.txt"));
        Write(Path.Combine(_root, ".git", "config"));
        File.CreateSymbolicLink(Path.Combine(_root, "dangling.txt"), Path.Combine(_outside, "missing.txt"));
        File.CreateSymbolicLink(Path.Combine(_root, "relative-link.txt"), "a.txt");
        File.CreateSymbolicLink(Path.Combine(_root, "file-link-to-dir"), _outside);
        Directory.CreateSymbolicLink(Path.Combine(_root, "dangling-dir"), Path.Combine(_outside, "missing"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "a", "b", "inside-dir-link"), Path.Combine(_root, "a"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "a", "b", "c", "deepest-dir-link"), _outside);
        Directory.CreateSymbolicLink(Path.Combine(_root, "a", "loop"), Path.Combine(_root, "a"));
        Directory.CreateSymbolicLink(Path.Combine(_root, ".dot-dir-link"), _outside);
        var root = _root;
        if (rootThroughALink)
        {
            root = _root + "-via-link";
            Directory.CreateSymbolicLink(root, _root);
        }

        string[] paths =
        [
            "/a.txt", "a.txt", "//a.txt", "/a.txt/", "\\a.txt", "/a/../a.txt", "/applicants/../a.txt", "", "/", "/applicants", "/applicants/",
            "/a.txt.", "/trail.", "/trail", "/A.txt", "/a.txt ", " /a.txt", "/a.txt\0", "/a.txt%00", "/sp ace é ü.txt", "/50%.txt", "/%41.txt",
            "/a/./b/c/d.txt", "/a//b/c/d.txt", "/a/b/c/d.txt", "/.git/config", "/.env", "/.env/", "/applicants/.hidden.jpg",
            "/leaf-link.txt", "/leaf-link.txt/", "/inside-link.txt", "/relative-link.txt", "/dangling.txt", "/file-link-to-dir/secret.txt",
            "/dangling-dir/x", "/top-dir-link/secret.txt", "/top-dir-link/../a.txt", "/applicants/mid-dir-link/d2/secret.txt",
            "/applicants/a1/deep-link.txt", "/a/b/inside-dir-link/b/c/d.txt", "/a/b/c/deepest-dir-link/secret.txt", "/a/loop/b/c/d.txt",
            "/a/loop/loop/b/c/d.txt", "/.dot-dir-link/secret.txt", "/../" + Path.GetFileName(_outside) + "/secret.txt", Path.Combine(_outside, "secret.txt"),
            // Characters the platform forbids in a name, which the framework refuses (on Windows ':' opens an alternate data
            // stream, "a.txt::$DATA" is a.txt itself): a safe-looking path holding one must get the framework's answer.
            "/a.txt:secret", "/a.txt::$DATA", "/a.txt:secret:$DATA", "/colon:name.txt", "/a*.txt", "/a?.txt", "/a<.txt", "/a>.txt", "/a|.txt", "/a\".txt",
        ];

        using var provider = new RootedFileProvider(root);
        using var framework = new PhysicalFileProvider(root, Microsoft.Extensions.FileProviders.Physical.ExclusionFilters.Sensitive);
        var rootPrefix = framework.Root.TrimEnd(Path.DirectorySeparatorChar);
        foreach (var raw in paths)
        {
            var subpath = raw;
            var expected = framework.GetFileInfo(subpath);
            var expectedExists = expected.Exists && !ThroughALink(expected.PhysicalPath!, rootPrefix);
            var actual = provider.GetFileInfo(subpath);

            Assert.True(expectedExists == actual.Exists, $"{subpath}: expected Exists={expectedExists}, got {actual.Exists}");
            if (actual.Exists)
            {
                Assert.Equal(expected.PhysicalPath, actual.PhysicalPath);
                Assert.Equal(expected.Length, actual.Length);
                Assert.StartsWith(rootPrefix + Path.DirectorySeparatorChar, actual.PhysicalPath, StringComparison.Ordinal);
            }
        }

        static bool ThroughALink(string physicalPath, string rootPrefix)
        {
            for (var path = physicalPath.TrimEnd(Path.DirectorySeparatorChar); path.Length > rootPrefix.Length; path = Path.GetDirectoryName(path)!)
            {
                if (new FileInfo(path).LinkTarget is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Nothing under a trailing separator is ever opened: a regular file is not a folder.</summary>
    [Theory]
    [InlineData("/a.txt/")]
    [InlineData("/.env/")]
    public void TrailingSeparator_NeverOpensAFile(string subpath)
    {
        var file = _provider.GetFileInfo(subpath);
        if (file.Exists)
        {
            Assert.ThrowsAny<IOException>(() => file.CreateReadStream().Dispose());
        }
    }

    /// <summary>A hard link is not a symbolic link: it is the same file under a second name, indistinguishable from it.</summary>
    [Fact]
    public void HardLink_IsAFileLikeAnyOther_TheRuleIsAboutSymbolicLinks()
    {
        using var ln = System.Diagnostics.Process.Start("ln", [Path.Combine(_root, "a.txt"), Path.Combine(_root, "hard.txt")])!;
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);

        Assert.True(_provider.GetFileInfo("/hard.txt").Exists);
    }

    public void Dispose()
    {
        _provider.Dispose();
        if (Directory.Exists(_root + "-via-link"))
        {
            Directory.Delete(_root + "-via-link");
        }

        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private static void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "hello");
    }
}
