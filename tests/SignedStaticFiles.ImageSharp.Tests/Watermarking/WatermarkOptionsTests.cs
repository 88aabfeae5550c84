using System.Net;
using Microsoft.Extensions.Options;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SignedStaticFiles.ImageSharp.Tests.Watermarking;

/// <summary>Startup validation of <see cref="WatermarkOptions"/>, and the overlay option.</summary>
public sealed class WatermarkOptionsTests
{
    public static TheoryData<string, string> Misconfigurations() => new()
    {
        { nameof(WatermarkOptions.Opacity), "0" },
        { nameof(WatermarkOptions.Opacity), "1.5" },
        { nameof(WatermarkOptions.JpegQuality), "0" },
        { nameof(WatermarkOptions.JpegQuality), "101" },
        { nameof(WatermarkOptions.MaxInputBytes), "0" },
        { nameof(WatermarkOptions.MaxMegapixels), "0" },
        { nameof(WatermarkOptions.MaxConcurrency), "0" },
        { nameof(WatermarkOptions.QueueLength), "-1" },
        { nameof(WatermarkOptions.CacheSizeBytes), "-1" },
        { nameof(WatermarkOptions.RetryAfter), "00:00:00" },
        { nameof(WatermarkOptions.Text), "" },
        { nameof(WatermarkOptions.Text), "{utc:%}" },
        { nameof(WatermarkOptions.OverlayPath), "missing.png" },
        { nameof(WatermarkOptions.Mode), "7" },
    };

    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public async Task InvalidOption_FailsAtStartup_NamingTheOption(string option, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ImageHost.StartAsync(o => Set(o.Watermark, option, value)));
        Assert.Contains("SignedStaticFilesOptions.Watermark." + option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverlayThatIsNotPng_FailsAtStartup()
    {
        var contentRoot = SignedHost.NewContentRoot();
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "logo.png"), "not a png");
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ImageHost.StartAsync(o => o.Watermark.OverlayPath = "logo.png", contentRoot: contentRoot));
        Assert.Contains("OverlayPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overlay_IsTiledWithTheText()
    {
        var contentRoot = SignedHost.NewContentRoot();
        using (var logo = new Image<Rgba32>(64, 64, new Rgba32(255, 0, 0, 255)))
        {
            await logo.SaveAsPngAsync(Path.Combine(contentRoot, "logo.png"));
        }

        await using var host = await ImageHost.StartAsync(
            o =>
            {
                o.Watermark.Mode = WatermarkMode.Always;
                o.Watermark.OverlayPath = "logo.png";
            },
            contentRoot: contentRoot);
        using var grey = TestImages.Flat(900, 600);
        host.WriteFile("a.png", TestImages.Png(grey));

        var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("~/protected/a.png"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var output = Image.Load<Rgba32>(await response.Content.ReadAsByteArrayAsync());
        var reddish = 0;
        for (var y = 0; y < output.Height; y += 2)
        {
            for (var x = 0; x < output.Width; x += 2)
            {
                var p = output[x, y];
                if (p.R > p.G + 40 && p.R > p.B + 40)
                {
                    reddish++;
                }
            }
        }

        Assert.True(reddish > 500, $"{reddish} reddish samples");
    }

    private static void Set(WatermarkOptions options, string option, string value)
    {
        switch (option)
        {
            case nameof(WatermarkOptions.Opacity): options.Opacity = float.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case nameof(WatermarkOptions.JpegQuality): options.JpegQuality = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case nameof(WatermarkOptions.MaxInputBytes): options.MaxInputBytes = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case nameof(WatermarkOptions.MaxMegapixels): options.MaxMegapixels = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case nameof(WatermarkOptions.MaxConcurrency): options.MaxConcurrency = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case nameof(WatermarkOptions.QueueLength): options.QueueLength = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case nameof(WatermarkOptions.CacheSizeBytes): options.CacheSizeBytes = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case nameof(WatermarkOptions.RetryAfter): options.RetryAfter = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case nameof(WatermarkOptions.Text): options.Text = value; break;
            case nameof(WatermarkOptions.OverlayPath): options.OverlayPath = value; break;
            case nameof(WatermarkOptions.Mode): options.Mode = (WatermarkMode)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            default: throw new ArgumentOutOfRangeException(nameof(option));
        }
    }
}
