using System.Net;
using Microsoft.Extensions.Options;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;

namespace SignedStaticFiles.ImageSharp.Tests.Watermarking;

/// <summary>
/// A stamp that would carry nothing is refused where it is decided: at mint for a link's text, at startup
/// for the folder's template; the stamp's "who" is the display name, never blanked by invisible characters.
/// </summary>
public sealed class VisibleInkTests
{
    [Theory]
    [InlineData("\u00AD")]
    [InlineData("\u200B\u200D\u2060")]
    [InlineData(" \u00AD ")]
    public async Task LinkText_WithNoVisibleInk_FailsAtMint(string text)
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.OnRequest);
        var error = Assert.Throws<ArgumentException>(() =>
            host.Generator.GetSignedUrl("~/protected/a.jpg", new SignedUrlOptions { WatermarkText = text }));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("WatermarkText", error.Message, StringComparison.Ordinal);
        Assert.False(host.Generator.TryGetSignedUrl("~/protected/a.jpg", new SignedUrlOptions { WatermarkText = text }, out _));
    }

    [Fact]
    public async Task FolderTemplate_WithNoVisibleInk_FailsAtStartup_NamingTheOption()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ImageHost.StartAsync(o =>
        {
            o.Watermark.Mode = WatermarkMode.Always;
            o.Watermark.Text = "\u00AD\u200B";
        }));
        Assert.Contains("SignedStaticFilesOptions.Watermark.Text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisplayNameClaim_IsWhatUserPrints_AndAnInvisibleNameFallsBackToTheUserId()
    {
        await using var host = await ImageHost.StartAsync(
            o => o.Watermark.Mode = WatermarkMode.OnRequest,
            builder: b => NamedUserAuthentication.Add(b.Services));
        host.WriteFile("a.png", TestImages.Png(TestImages.Flat(600, 400)));

        async Task<byte[]> StampFor(string userId, string? name)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, host.Generator.GetSignedUrl("~/protected/a.png", new SignedUrlOptions { WatermarkText = "{user}" }));
            request.Headers.Add(NamedUserAuthentication.UserHeader, userId);
            if (name is not null)
            {
                request.Headers.Add(NamedUserAuthentication.NameHeader, Uri.EscapeDataString(name));
            }

            var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsByteArrayAsync();
        }

        var byName = await StampFor("u-1", "Olena");
        var invisibleName = await StampFor("u-1", "\u200B\u00AD");
        var noName = await StampFor("u-1", null);
        Assert.NotEqual(byName, noName);
        Assert.Equal(noName, invisibleName);
    }
}
