using System.Net;
using System.Text;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.ImageSharp.Tests.Watermarking;
using SignedStaticFiles.Tests.Infrastructure;
using SignedStaticFiles.Variants;

namespace SignedStaticFiles.ImageSharp.Tests.Content;

/// <summary>
/// Under <see cref="WatermarkMode.Always"/> the folder fails closed by content, not by name: only content
/// positively identified as a non-image on the allow-list (plain UTF-8 text without markup, JSON served as
/// JSON) leaves unstamped; JPEG, PNG and WebP are stamped; everything else is 415 — never the bytes.
/// </summary>
public sealed class FailClosedByContentTests
{
    public static TheoryData<string, string> RefusedUnderAnyName()
    {
        var data = new TheoryData<string, string>();
        string[] kinds =
        [
            "bmp", "gif", "tiff", "tga", "ico", "cur", "svg", "svg-no-xml-prolog-bom", "html-with-data-image", "avif", "heic",
            "jxl-codestream", "jxl-container", "jp2", "j2k", "psd", "pdf-with-jpeg", "webp-animated", "xbm", "ppm-ascii",
            "utf16-text", "binary", "empty",
        ];
        foreach (var kind in kinds)
        {
            foreach (var name in new[] { "scan.bin", "notes.txt", "front.jpg", "data.json" })
            {
                data.Add(kind, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedUnderAnyName))]
    public void Required_NotAStampableImage_NorAnAllowedNonImage_Is415(string kind, string name)
    {
        using var engine = new EngineHarness();
        var result = engine.Run(Specimens.Create(kind), "stamp {user}", name: name, contentType: ContentTypeOf(name));
        Assert.Equal(VariantResultKind.Refused, result.Kind);
        Assert.Equal(SignedFileOutcome.UnsupportedMediaType, result.Outcome);
        Assert.Equal(0, engine.Decodes);
    }

    [Theory]
    [InlineData("notes.txt", "text/plain", "Reviewer notes: passport matches, address checked.\r\nSecond line\twith a tab.")]
    [InlineData("scan.bin", null, "plain text under a binary name")]
    [InlineData("notes.txt", "text/plain", "Ünïcödé notes — 王伟, محمد علي, Олена")]
    [InlineData("data.json", "application/json", "{\"id\": 42, \"status\": \"approved\", \"tags\": [\"a\", \"b\"]}")]
    [InlineData("data.json", "application/json", "{\"note\": \"amount < limit\", \"html\": \"<b>not rendered as JSON</b>\"}")]
    [InlineData("problem.json", "application/problem+json", "{\"title\": \"a < b\"}")]
    public void Required_AllowedNonImage_LeavesAsItIs(string name, string? contentType, string content)
    {
        using var engine = new EngineHarness();
        var result = engine.Run(Encoding.UTF8.GetBytes(content), "stamp", name: name, contentType: contentType);
        Assert.Equal(VariantResultKind.Original, result.Kind);
    }

    [Theory]
    [InlineData("page.html", "text/html", "<p>markup</p>")]
    [InlineData("notes.txt", "text/plain", "a < b in plain text is still markup-like")]
    [InlineData("data.json", "text/plain", "{\"html\": \"<img src=x>\"}")]          // JSON, but not served as JSON
    [InlineData("data.json", "application/json", "{\"html\": \"<img src=x>\"")]     // served as JSON, but not JSON
    [InlineData("notes.txt", "text/plain", "nul\0inside")]
    [InlineData("notes.txt", "text/plain", "bad utf-8 \xff")]
    public void Required_TextThatCouldCarryMarkupOrIsNotText_Is415(string name, string? contentType, string content)
    {
        using var engine = new EngineHarness();
        var bytes = content.Contains('\xff', StringComparison.Ordinal)
            ? [.. Encoding.UTF8.GetBytes(content.Replace("\xff", string.Empty, StringComparison.Ordinal)), 0xFF]
            : Encoding.UTF8.GetBytes(content);
        var result = engine.Run(bytes, "stamp", name: name, contentType: contentType);
        Assert.Equal(SignedFileOutcome.UnsupportedMediaType, result.Outcome);
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    public void Required_StampableImageUnderAnyName_IsStamped(string format)
    {
        using var engine = new EngineHarness();
        using var field = TestImages.Field(200, 120);
        var bytes = format switch
        {
            "jpeg" => TestImages.Jpeg(field),
            "png" => TestImages.Png(field),
            _ => Webp(field),
        };

        foreach (var name in new[] { "scan.bin", "notes.txt", "data.json", "front.gif" })
        {
            var result = engine.Run(bytes, "stamp", name: name, contentType: ContentTypeOf(name));
            Assert.Equal(VariantResultKind.Rendered, result.Kind);
            Assert.Equal("image/" + format, result.ContentType);
            Assert.NotEqual(bytes, result.Content.ToArray());
        }
    }

    [Theory]
    [InlineData("bmp", "scan.bin")]
    [InlineData("bmp", "notes.txt")]
    [InlineData("gif", "front.jpg")]
    [InlineData("svg", "card.svg")]
    [InlineData("pdf-with-jpeg", "id.pdf")]
    [InlineData("heic", "photo.heic")]
    public async Task Always_OverHttp_NonStampableContent_Answers415_NeverTheBytes(string kind, string name)
    {
        await using var host = await ImageHost.StartAsync(o =>
        {
            o.Watermark.Mode = WatermarkMode.Always;
            o.ServeUnknownFileTypes = true;
        });
        var original = Specimens.Create(kind);
        host.WriteFile("kyc/" + name, original);

        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/kyc/" + name));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(-1, body.AsSpan().IndexOf(original.AsSpan(0, Math.Min(16, original.Length))));
    }

    [Fact]
    public async Task Always_OverHttp_PlainTextAndJson_AreServedAsTheyAre()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        host.WriteFile("kyc/notes.txt", "plain notes");
        host.WriteFile("kyc/data.json", "{\"a\": \"<b>\"}");

        Assert.Equal("plain notes", await host.Client.GetStringAsync(host.Generator.GetSignedUrl("~/protected/kyc/notes.txt")));
        var json = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/kyc/data.json"));
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"a\": \"<b>\"}", await json.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Always_OverHttp_BmpStoredAsBin_IsRefused_NotServedByteIdentical()
    {
        // The v1 fault: a BMP stored as scan.bin was served unchanged from an Always folder.
        await using var host = await ImageHost.StartAsync(o =>
        {
            o.Watermark.Mode = WatermarkMode.Always;
            o.ServeUnknownFileTypes = true;
        });
        var bmp = Specimens.Create("bmp");
        host.WriteFile("kyc/scan.bin", bmp);
        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/kyc/scan.bin"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.NotEqual(bmp, await response.Content.ReadAsByteArrayAsync());
    }

    private static string? ContentTypeOf(string name) =>
        new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider().TryGetContentType(name, out var type) ? type : null;

    private static byte[] Webp(SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgba32> image)
    {
        using var stream = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsWebp(image, stream);
        return stream.ToArray();
    }
}
