using KycPortal.Services;
using KycPortal.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace KycPortal.Tests;

/// <summary>The upload checks without a server.</summary>
public sealed class ImageUploadProcessorTests
{
    [Fact]
    public async Task Jpeg_WithExifOrientationAndGps_IsRotated_AndAllMetadataDropped()
    {
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Orientation, (ushort)6);          // "rotate 90° clockwise to display"
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.Make, "SecretCam");
        var upload = TestImages.Jpeg(400, 250, exif: exif);
        Assert.NotNull(Image.Identify(upload).Metadata.ExifProfile);

        using var processor = new ImageUploadProcessor();
        var result = await processor.ProcessAsync(upload, CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal(".jpg", result.Image!.Extension);
        var info = Image.Identify(result.Image.Bytes);
        Assert.Equal((250, 400), (info.Width, info.Height));
        Assert.Null(info.Metadata.ExifProfile);
        Assert.Null(info.Metadata.XmpProfile);
        Assert.Null(info.Metadata.IptcProfile);
        Assert.Null(info.Metadata.IccProfile);
        Assert.True(result.Image.Bytes.AsSpan().IndexOf("SecretCam"u8) < 0);
    }

    [Fact]
    public async Task Png_KeepsItsFormat_WithoutTextChunks()
    {
        using var image = new Image<Rgba32>(64, 64, new Rgba32(10, 20, 30, 255));
        image.Metadata.GetPngMetadata().TextData.Add(new SixLabors.ImageSharp.Formats.Png.PngTextData("Author", "Jane Roe", "", ""));
        using var output = new MemoryStream();
        image.SaveAsPng(output);

        using var processor = new ImageUploadProcessor();
        var result = await processor.ProcessAsync(output.ToArray(), CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal(".png", result.Image!.Extension);
        Assert.True(result.Image.Bytes.AsSpan().IndexOf("Jane Roe"u8) < 0);
    }

    [Fact]
    public async Task Bomb_IsRefusedFromItsHeader()
    {
        using var processor = new ImageUploadProcessor();
        var bomb = TestImages.PngBomb();
        Assert.True(bomb.Length < 16 * 1024, $"the bomb is {bomb.Length} bytes");

        var result = await processor.ProcessAsync(bomb, CancellationToken.None);

        Assert.Equal(ImageUploadProcessor.TooManyPixelsMessage, result.Error);
    }

    [Fact]
    public void SixteenBitBomb_UnderThePixelCap_IsRefusedForItsDecodedBytes_FromItsHeader()
    {
        using var processor = new ImageUploadProcessor();
        var bomb = TestImages.Png16BitBomb();
        Assert.True(6300L * 6300 < ImageUploadProcessor.MaxPixels);

        var check = processor.Check(bomb);

        Assert.Equal(ImageUploadProcessor.TooManyDecodedBytesMessage, check.Error);
    }

    [Theory]
    [InlineData("GIF89a\u0001\u0000\u0001\u0000")]
    [InlineData("BM\u0000\u0000")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]
    [InlineData("RIFF\u0000\u0000\u0000\u0000WAVE")]
    public void Signature_OtherThanJpegPngWebp_IsNotAnImage(string start)
    {
        using var processor = new ImageUploadProcessor();
        var bytes = System.Text.Encoding.Latin1.GetBytes(start.PadRight(64, '\0'));

        Assert.False(ImageUploadProcessor.HasImageSignature(bytes));
        Assert.Equal(ImageUploadProcessor.NotAnImageMessage, processor.Check(bytes).Error);
    }

    [Fact]
    public void RestrictedConfiguration_KnowsOnlyJpegPngWebp()
    {
        var formats = ImageUploadProcessor.CreateRestrictedConfiguration().ImageFormats.Select(f => f.Name).Order().ToArray();
        Assert.Equal(["JPEG", "PNG", "Webp"], formats, StringComparer.OrdinalIgnoreCase);
    }
}
