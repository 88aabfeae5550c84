using SignedStaticFiles.ImageSharp.Tests.Content;
using SignedStaticFiles.ImageSharp.Tests.Watermarking;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SignedStaticFiles.ImageSharp.Tests.Uploads;

/// <summary>The public re-encode for uploads: upright, metadata gone, caps before decoding, typed errors.</summary>
public sealed class SafeImageReencoderTests
{
    [Fact]
    public void Jpeg_WithExifGpsAndOrientation_ComesOutUpright_WithoutAnyMetadata()
    {
        using var upright = TestImages.Field(600, 300);
        using var stored = upright.Clone(x => x.Rotate(RotateMode.Rotate270));
        var input = TestImages.JpegWithExif(stored, orientation: 6);

        var output = SafeImageReencoder.Reencode(input);

        Assert.Equal(("image/jpeg", ".jpg", 600, 300), (output.ContentType, output.Extension, output.Width, output.Height));
        var info = Image.Identify(output.Content);
        Assert.Equal((600, 300), (info.Width, info.Height));
        Assert.Null(info.Metadata.ExifProfile);
        Assert.Equal(-1, output.Content.AsSpan().IndexOf("SpecimenCam"u8));
        Assert.Equal(-1, output.Content.AsSpan().IndexOf("Exif\0\0"u8));
    }

    [Theory]
    [InlineData(ReencodeFormat.Same, "image/png")]
    [InlineData(ReencodeFormat.Jpeg, "image/jpeg")]
    [InlineData(ReencodeFormat.Webp, "image/webp")]
    [InlineData(ReencodeFormat.Png, "image/png")]
    public void Png_CanBeWrittenInEachFormat(ReencodeFormat format, string contentType)
    {
        var output = SafeImageReencoder.Reencode(TestImages.Png(TestImages.Field(200, 100)), new SafeReencodeOptions { Format = format });
        Assert.Equal(contentType, output.ContentType);
        using var decoded = Image.Load<Rgba32>(output.Content);
        Assert.Equal((200, 100), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void PolyglotTail_IsNotCarriedOver()
    {
        var input = (byte[])[.. TestImages.Jpeg(120, 80), .. "<script>alert(1)</script>"u8];
        var output = SafeImageReencoder.Reencode(input);
        Assert.Equal(-1, output.Content.AsSpan().IndexOf("<script>"u8));
    }

    [Theory]
    [InlineData("empty", ImageReencodeError.Empty)]
    [InlineData("gif", ImageReencodeError.UnsupportedFormat)]
    [InlineData("bmp", ImageReencodeError.UnsupportedFormat)]
    [InlineData("svg", ImageReencodeError.UnsupportedFormat)]
    [InlineData("pdf-with-jpeg", ImageReencodeError.UnsupportedFormat)]
    [InlineData("webp-animated", ImageReencodeError.Animated)]
    public void NotAStillJpegPngOrWebp_IsRefusedWithItsReason(string kind, ImageReencodeError error) =>
        Assert.Equal(error, Assert.Throws<ImageReencodeException>(() => SafeImageReencoder.Reencode(Specimens.Create(kind))).Error);

    [Fact]
    public void Caps_AreCheckedBeforeDecoding()
    {
        Assert.Equal(ImageReencodeError.TooManyPixels,
            Assert.Throws<ImageReencodeException>(() => SafeImageReencoder.Reencode(TestImages.PngBomb())).Error);
        Assert.Equal(ImageReencodeError.TooManyBytes,
            Assert.Throws<ImageReencodeException>(() => SafeImageReencoder.Reencode(TestImages.Jpeg(300, 200), new SafeReencodeOptions { MaxInputBytes = 100 })).Error);

        // A 16-bit RGBA PNG costs 8 bytes a pixel: 500 × 500 × 8 = 2,000,000 bytes.
        using var deep = new Image<Rgba64>(500, 500, new Rgba64(1000, 2000, 3000, 65535));
        using var stream = new MemoryStream();
        deep.SaveAsPng(stream, new SixLabors.ImageSharp.Formats.Png.PngEncoder { BitDepth = SixLabors.ImageSharp.Formats.Png.PngBitDepth.Bit16, ColorType = SixLabors.ImageSharp.Formats.Png.PngColorType.RgbWithAlpha });
        var refused = Assert.Throws<ImageReencodeException>(() => SafeImageReencoder.Reencode(stream.ToArray(), new SafeReencodeOptions { MaxDecodedBytes = 1_999_999 }));
        Assert.Equal(ImageReencodeError.TooManyDecodedBytes, refused.Error);
        Assert.Equal(500, SafeImageReencoder.Reencode(stream.ToArray(), new SafeReencodeOptions { MaxDecodedBytes = 2_000_000 }).Width);
    }

    [Fact]
    public void TruncatedOrCorrupt_AreTold()
    {
        var jpeg = TestImages.Jpeg(400, 300);
        Assert.Equal(ImageReencodeError.Truncated, Assert.Throws<ImageReencodeException>(() => SafeImageReencoder.Reencode(jpeg.AsSpan(0, jpeg.Length / 2))).Error);
        byte[] header = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.Equal(ImageReencodeError.Corrupt, Assert.Throws<ImageReencodeException>(() => SafeImageReencoder.Reencode(header)).Error);
    }

    [Fact]
    public async Task Stream_IsReadOnlyUpToTheCap()
    {
        await using var endless = new EndlessStream();
        var error = await Assert.ThrowsAsync<ImageReencodeException>(() => SafeImageReencoder.ReencodeAsync(endless, new SafeReencodeOptions { MaxInputBytes = 1_000_000 }));
        Assert.Equal(ImageReencodeError.TooManyBytes, error.Error);
        Assert.True(endless.Position < 1_200_000, $"read {endless.Position} bytes");
    }

    [Fact]
    public void InvalidOptions_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SafeImageReencoder.Reencode(TestImages.Jpeg(10, 10), new SafeReencodeOptions { Quality = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SafeImageReencoder.Reencode(TestImages.Jpeg(10, 10), new SafeReencodeOptions { MaxMegapixels = double.NaN }));
    }

    private sealed class EndlessStream : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill(0xFF);
            _position += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
