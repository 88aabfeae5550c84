using System.Net;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.Tests.Infrastructure;
using SixLabors.ImageSharp;

namespace SignedStaticFiles.ImageSharp.Tests.Watermarking;

/// <summary>
/// The README's before/after picture, produced through the real middleware. The images are written to
/// <c>docs/images/</c> only when <c>SSF_WRITE_DOCS_IMAGES=1</c>:
/// <c>SSF_WRITE_DOCS_IMAGES=1 dotnet test tests/SignedStaticFiles.ImageSharp.Tests --filter SpecimenCard</c>.
/// </summary>
public sealed class SpecimenCardTests
{
    [Fact]
    public async Task SpecimenCard_ServedThroughAlwaysFolder_IsStampedWithTheReviewer()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        using var card = SpecimenCard.Draw();
        var original = TestImages.Jpeg(card, quality: 90);
        host.WriteFile("kyc/42/front.jpg", original);

        var url = host.Generator.GetSignedUrl("~/protected/kyc/42/front.jpg", new SignedUrlOptions
        {
            WatermarkText = "Reviewed by j.doe@bank.example · {utc:yyyy-MM-dd HH:mm} UTC · {link}",
        });
        var response = await host.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stamped = await response.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(original, stamped);
        using var decoded = Image.Load(stamped);
        Assert.Equal((card.Width, card.Height), (decoded.Width, decoded.Height));

        if (Environment.GetEnvironmentVariable("SSF_WRITE_DOCS_IMAGES") == "1")
        {
            var images = Path.Combine(FindRepositoryRoot(), "docs", "images");
            Directory.CreateDirectory(images);
            await File.WriteAllBytesAsync(Path.Combine(images, "specimen-id-before.jpg"), original);
            await File.WriteAllBytesAsync(Path.Combine(images, "specimen-id-after.jpg"), stamped);
        }
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SignedStaticFiles.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
