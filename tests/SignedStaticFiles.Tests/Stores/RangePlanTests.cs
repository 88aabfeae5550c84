using Microsoft.AspNetCore.Http;
using SignedStaticFiles.Serving;
using SignedStaticFiles.Stores;

namespace SignedStaticFiles.Tests.Stores;

/// <summary>
/// Which bytes a store is asked for: the single range of a GET resolved against the object's length (RFC 9110
/// §14.1.2: a suffix range is the last N bytes, a last position past the end is clipped), nothing for HEAD,
/// several ranges, other units or unsatisfiable ranges.
/// </summary>
public sealed class RangePlanTests
{
    [Theory]
    [InlineData("GET", "bytes=0-9", 0L, 10L)]
    [InlineData("GET", "bytes=-5", 995L, 5L)]
    [InlineData("GET", "bytes=-5000", 0L, 1000L)]
    [InlineData("GET", "bytes=990-", 990L, 10L)]
    [InlineData("GET", "bytes=995-5000", 995L, 5L)]
    [InlineData("GET", "BYTES=1-1", 1L, 1L)]
    [InlineData("GET", "bytes=5000-6000", null, null)]
    [InlineData("GET", "bytes=-0", null, null)]
    [InlineData("GET", "bytes=0-1,5-6", null, null)]
    [InlineData("GET", "items=0-1", null, null)]
    [InlineData("GET", "bytes=abc", null, null)]
    [InlineData("HEAD", "bytes=0-9", null, null)]
    public void Plan_IsTheRangeTheAnswerWillSend(string method, string range, long? offset, long? length)
    {
        var context = new DefaultHttpContext { Request = { Method = method, Headers = { Range = range } } };

        var plan = StoreFileResponder.PlanRange(context.Request, 1000);

        Assert.Equal(offset is null ? null : (offset.Value, length!.Value), plan);
    }

    [Theory]
    [InlineData("0x8DC1A2B3C4D5E6F", "\"0x8DC1A2B3C4D5E6F\"")]
    [InlineData("d41d8cd98f00b204e9800998ecf8427e-2", "\"d41d8cd98f00b204e9800998ecf8427e-2\"")]
    public void ETag_IsTheObjectsVersion(string version, string expected)
    {
        var file = new SignedFileInfo { Path = "/a", Length = 1, LastModified = DateTimeOffset.UnixEpoch, Version = version };

        Assert.Equal(expected, StoreFileResponder.ETagOf(file).Tag.ToString());
    }

    [Theory]
    [InlineData("with \"quotes\"")]
    [InlineData("non-ascii-é")]
    [InlineData("space inside")]
    public void ETag_OfAVersionThatIsNotETagText_IsAHashOfIt(string version)
    {
        var file = new SignedFileInfo { Path = "/a", Length = 1, LastModified = DateTimeOffset.UnixEpoch, Version = version };

        var tag = StoreFileResponder.ETagOf(file).Tag.ToString();

        Assert.Matches("^\"[0-9a-f]{32}\"$", tag);
    }
}
