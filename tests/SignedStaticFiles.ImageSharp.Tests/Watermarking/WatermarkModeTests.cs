using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.Tests.Infrastructure;
using SixLabors.ImageSharp;

namespace SignedStaticFiles.ImageSharp.Tests.Watermarking;

/// <summary>Which files are stamped, per <see cref="WatermarkMode"/>, and how the variant is answered.</summary>
public sealed class WatermarkModeTests
{
    private const string Image = "kyc/42/front.jpg";
    private const string ImageUrl = "~/protected/kyc/42/front.jpg";

    [Theory]
    [InlineData(null)]
    [InlineData("custom text from the link")]
    public async Task Always_NeverServesTheOriginal_WhateverTheLinkSays(string? linkText)
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        var original = TestImages.Jpeg(600, 400);
        host.WriteFile(Image, original);

        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl(ImageUrl, new SignedUrlOptions { WatermarkText = linkText }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(original, body);
        using var decoded = SixLabors.ImageSharp.Image.Load(body);
        Assert.Equal((600, 400), (decoded.Width, decoded.Height));
        Assert.Equal("private, no-store", response.Headers.NonValidated["Cache-Control"].ToString());
    }

    [Fact]
    public async Task Always_JpegWithAnotherExtension_IsStillStamped()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        var original = TestImages.Jpeg(300, 200);
        host.WriteFile("kyc/42/scan.bin", original);

        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/kyc/42/scan.bin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(original, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Always_NonImageFile_IsServedUnchanged()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        host.WriteFile("kyc/42/notes.txt", "plain notes");

        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/kyc/42/notes.txt"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("plain notes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Always_MissingImage_Returns404()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/kyc/42/absent.jpg"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OnRequest_LinkWithoutText_ServesTheOriginal()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.OnRequest);
        var original = TestImages.Jpeg(300, 200);
        host.WriteFile(Image, original);

        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl(ImageUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(original, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task OnRequest_LinkWithText_IsStamped()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.OnRequest);
        var original = TestImages.Jpeg(300, 200);
        host.WriteFile(Image, original);

        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl(ImageUrl, new SignedUrlOptions { WatermarkText = "for {user}" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(original, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task None_MintingWithText_ThrowsArgumentExceptionNamingOptions()
    {
        // v2: an option the folder cannot honour is an ArgumentException on "options" (was InvalidOperationException).
        await using var host = await ImageHost.StartAsync();
        var error = Assert.Throws<ArgumentException>(() =>
            host.Generator.GetSignedUrl(ImageUrl, new SignedUrlOptions { WatermarkText = "x" }));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("Watermark.Mode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task None_LinkMintedWithTextUnderAnotherMode_IsStillStamped()
    {
        // A link minted while the folder was OnRequest keeps its promise after the mode is switched off.
        var contentRoot = SignedHost.NewContentRoot();
        string url;
        var original = TestImages.Jpeg(300, 200);
        await using (var minting = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.OnRequest, contentRoot: contentRoot))
        {
            minting.WriteFile(Image, original);
            url = minting.Generator.GetSignedUrl(ImageUrl, new SignedUrlOptions { WatermarkText = "kept" });
        }

        await using var serving = await ImageHost.StartAsync(contentRoot: contentRoot);
        var response = await serving.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(original, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("line\nbreak")]
    [InlineData("bell\u0007")]
    [InlineData("{utc:%}")]
    public async Task Generator_InvalidWatermarkText_Throws(string text)
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.OnRequest);
        var error = Assert.Throws<ArgumentException>(() => host.Generator.GetSignedUrl(ImageUrl, new SignedUrlOptions { WatermarkText = text }));
        Assert.Contains("WatermarkText", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generator_TooLongWatermarkText_Throws()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.OnRequest);
        Assert.Throws<ArgumentException>(() => host.Generator.GetSignedUrl(ImageUrl, new SignedUrlOptions { WatermarkText = new string('x', 201) }));
        Assert.NotNull(host.Generator.GetSignedUrl(ImageUrl, new SignedUrlOptions { WatermarkText = new string('x', 200) }));
    }

    [Fact]
    public async Task Variant_ConditionalAndRangeRequests_WorkAsOnAPlainFile()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        host.WriteFile(Image, TestImages.Jpeg(500, 300));
        var url = host.Generator.GetSignedUrl(ImageUrl);

        var full = await host.Client.GetAsync(url);
        var body = await full.Content.ReadAsByteArrayAsync();
        var etag = full.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal("bytes", Assert.Single(full.Headers.AcceptRanges));
        Assert.NotNull(full.Content.Headers.LastModified);

        using var range = new HttpRequestMessage(HttpMethod.Get, url);
        range.Headers.Range = new RangeHeaderValue(10, 109);
        var partial = await host.Client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(body[10..110], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal(body.Length, partial.Content.Headers.ContentRange?.Length);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await host.Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var unsatisfiable = new HttpRequestMessage(HttpMethod.Get, url);
        unsatisfiable.Headers.Range = new RangeHeaderValue(body.Length + 10, body.Length + 20);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await host.Client.SendAsync(unsatisfiable)).StatusCode);

        using var ifMatch = new HttpRequestMessage(HttpMethod.Get, url);
        ifMatch.Headers.IfMatch.Add(new EntityTagHeaderValue("\"other\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await host.Client.SendAsync(ifMatch)).StatusCode);

        using var head = new HttpRequestMessage(HttpMethod.Head, url);
        var headResponse = await host.Client.SendAsync(head);
        Assert.Equal(HttpStatusCode.OK, headResponse.StatusCode);
        Assert.Equal(etag, headResponse.Headers.ETag);
    }

    [Fact]
    public async Task Variant_ETag_DependsOnTextAndFileVersion_NotOnTheToken()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.OnRequest);
        var path = host.WriteFile(Image, TestImages.Jpeg(300, 200));

        async Task<EntityTagHeaderValue?> ETagOf(string text) =>
            (await host.Client.GetAsync(host.Generator.GetSignedUrl(ImageUrl, new SignedUrlOptions { WatermarkText = text }))).Headers.ETag;

        var first = await ETagOf("alpha");
        Assert.Equal(first, await ETagOf("alpha"));    // another token, same variant
        Assert.NotEqual(first, await ETagOf("beta"));  // another text

        File.WriteAllBytes(path, TestImages.Jpeg(301, 200));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.NotEqual(first, await ETagOf("alpha")); // another file version
    }

    [Fact]
    public async Task DownloadLink_VariantKeepsContentDisposition()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        host.WriteFile(Image, TestImages.Jpeg(200, 100));
        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl(ImageUrl, new SignedUrlOptions { DownloadFileName = "front.jpg" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
    }

    [Fact]
    public async Task SingleUseLink_InAlwaysFolder_ServesTheWholeVariantOnce()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        var original = TestImages.Jpeg(300, 200);
        host.WriteFile(Image, original);
        var url = host.Generator.GetSignedUrl(ImageUrl, new SignedUrlOptions { SingleUse = true });

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(0, 9);
        var first = await host.Client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode); // whole, not a 206 that would burn the link
        var body = await first.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(original, body);
        using (var decoded = SixLabors.ImageSharp.Image.Load(body))
        {
            Assert.Equal((300, 200), (decoded.Width, decoded.Height));
        }

        Assert.Equal(HttpStatusCode.Gone, (await host.Client.GetAsync(url)).StatusCode);
    }
}
