using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Tests.Signing;

public sealed class SealedLinkCodecTests
{
    private static readonly DateTimeOffset Expires = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Encode_Decode_RoundTripsEveryField()
    {
        var link = new SealedLink
        {
            Path = "/protected/kyc/42/Zoë front #1.jpg",
            LinkId = SealedLinkCodec.NewLinkId(), IssuedAt = DateTimeOffset.UnixEpoch.AddYears(56),
            Expires = Expires,
            UserId = "user-7",
            DownloadFileName = "contract (signed).pdf",
            WatermarkText = "Reviewed by {user}",
            SingleUse = true,
        };

        var decoded = SealedLinkCodec.Decode(SealedLinkCodec.Encode(link), Expires);

        Assert.NotNull(decoded);
        Assert.Equal(link.Path, decoded.Path);
        Assert.Equal(link.LinkId, decoded.LinkId);
        Assert.Equal(Expires, decoded.Expires);
        Assert.Equal(link.UserId, decoded.UserId);
        Assert.Equal(link.DownloadFileName, decoded.DownloadFileName);
        Assert.Equal(link.WatermarkText, decoded.WatermarkText);
        Assert.True(decoded.SingleUse);
    }

    [Fact]
    public void Encode_Decode_OptionalFieldsStayAbsent()
    {
        var decoded = SealedLinkCodec.Decode(
            SealedLinkCodec.Encode(new SealedLink { Path = "/p/a.txt", LinkId = SealedLinkCodec.NewLinkId(), IssuedAt = DateTimeOffset.UnixEpoch.AddYears(56), Expires = Expires }), Expires);

        Assert.NotNull(decoded);
        Assert.Null(decoded.UserId);
        Assert.Null(decoded.DownloadFileName);
        Assert.Null(decoded.WatermarkText);
        Assert.False(decoded.SingleUse);
    }

    [Fact]
    public void NewLinkId_IsSixteenCharactersAndRandom()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => SealedLinkCodec.NewLinkId()).ToHashSet();
        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.Equal(16, id.Length));
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "empty", [] },
        { "header only, no path", Header() },
        { "wrong version", [2, .. Header()[1..], 1, 0, 2, (byte)'/', (byte)'a'] },
        { "truncated length", [.. Header(), 1, 0] },
        { "length past the end", [.. Header(), 1, 0, 9, (byte)'/', (byte)'a'] },
        { "unknown tag (a newer feature)", [.. Header(), 1, 0, 2, (byte)'/', (byte)'a', 99, 0, 0] },
        { "duplicated path", [.. Header(), 1, 0, 2, (byte)'/', (byte)'a', 1, 0, 2, (byte)'/', (byte)'b'] },
        { "single-use flag with a value", [.. Header(), 1, 0, 2, (byte)'/', (byte)'a', 5, 0, 1, 1] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Decode_MalformedPayload_ReturnsNull(string because, byte[] payload)
    {
        Assert.True(SealedLinkCodec.Decode(payload, Expires) is null, because);
    }

    private static byte[] Header() => [SealedLinkCodec.Version, .. new byte[SealedLinkCodec.LinkIdLength]];
}
