using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Tests.Signing;

public sealed class SignedPathTests
{
    [Theory]
    [InlineData("~/protected/a.jpg", "/protected/a.jpg")]
    [InlineData("/protected/a.jpg", "/protected/a.jpg")]
    [InlineData("/protected/kyc/42/my file #1 100%.jpg", "/protected/kyc/42/my file #1 100%.jpg")]
    [InlineData("/protected/Zoë/身份证.png", "/protected/Zoë/身份证.png")]
    [InlineData("/protected/a..b.txt", "/protected/a..b.txt")]
    public void ForSigning_PlainPath_IsKept(string input, string expected)
    {
        Assert.Equal(expected, SignedPath.ForSigning(input, "path"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("~")]
    [InlineData("/")]
    [InlineData("protected/a.jpg")]
    [InlineData("//evil.example/a.jpg")]
    [InlineData("https://evil.example/protected/a.jpg")]
    [InlineData("~//evil.example/a.jpg")]
    [InlineData("/protected/../appsettings.json")]
    [InlineData("/protected/./a.jpg")]
    [InlineData("/protected/.env")]
    [InlineData("/protected/kyc/.git/config")]
    [InlineData("/protected/..\\secret.txt")]
    [InlineData("/protected/a.jpg\0.png")]
    [InlineData("/protected/a\r\nSet-Cookie: x.jpg")]
    [InlineData("/protected//a.jpg")]
    [InlineData("/protected/dir/")]
    public void ForSigning_DangerousPath_Throws(string input)
    {
        var error = Assert.Throws<ArgumentException>(() => SignedPath.ForSigning(input, "path"));
        Assert.Equal("path", error.ParamName);
    }

    [Theory]
    [InlineData("/a.txt", true)]
    [InlineData("/kyc/42/a.txt", true)]
    [InlineData("", false)]
    [InlineData("/", false)]
    [InlineData("a.txt", false)]
    [InlineData("/..", false)]
    [InlineData("/kyc/../a.txt", false)]
    [InlineData("/.hidden", false)]
    [InlineData("/kyc/", false)]
    [InlineData("/kyc//a.txt", false)]
    [InlineData("/kyc\\a.txt", false)]
    [InlineData("/a\u0000.txt", false)]
    [InlineData("/a\u007f.txt", false)]
    public void IsSafe_JudgesEverySegment(string subpath, bool safe)
    {
        Assert.Equal(safe, SignedPath.IsSafe(subpath));
    }

    [Theory]
    [InlineData("/protected/a.jpg", "/protected/a.jpg")]
    [InlineData("/protected/my file.jpg", "/protected/my%20file.jpg")]
    [InlineData("/protected/%41.txt", "/protected/%2541.txt")]
    [InlineData("/protected/a#b?c.txt", "/protected/a%23b%3Fc.txt")]
    [InlineData("/protected/c+d&e=f;g,h!$'()*@:~.txt", "/protected/c+d&e=f;g,h!$'()*@:~.txt")]
    [InlineData("/protected/Zoë.txt", "/protected/Zo%C3%AB.txt")]
    [InlineData("/protected/😀.txt", "/protected/%F0%9F%98%80.txt")]
    [InlineData("/protected/a\"b<c>`{|}^[].txt", "/protected/a%22b%3Cc%3E%60%7B%7C%7D%5E%5B%5D.txt")]
    public void Encode_EscapesWhatAPathCannotHold(string path, string expected)
    {
        Assert.Equal(expected, SignedPath.Encode(path));
        Assert.Equal(path, Uri.UnescapeDataString(expected));
    }
}
