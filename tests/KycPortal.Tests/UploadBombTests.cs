using System.Net;
using KycPortal.Data;
using KycPortal.Services;
using KycPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace KycPortal.Tests;

/// <summary>
/// An upload form is a way to make the server decode images: what one hostile POST may cost, measured on
/// the process that serves it (CPU-seconds and the rise of its peak resident memory).
/// </summary>
[Collection(MeasuredSerially.Name)]
public sealed class UploadBombTests(ITestOutputHelper output)
{
    /// <summary>
    /// Two 16-bit 6300 × 6300 PNGs (about 300 KB each, 39.7 megapixels: under the pixel cap, 238 MB each once
    /// decoded), with a good selfie so that the form is otherwise complete. Both are refused from their headers
    /// before any pixel is decoded: measured 0.04 CPU-seconds and +1 MB of peak memory, against 3.8 CPU-seconds
    /// and +238 MB (and both bombs stored) when every file was decoded before the form was judged.
    /// </summary>
    [Fact]
    public async Task TwoSixteenBitPngBombs_RefusedBeforeDecoding_CostBounded()
    {
        await using var app = new KycPortalFactory();
        using var client = await app.SignedInClientAsync(DatabaseSetup.Applicant2Email);
        var bomb = TestImages.Png16BitBomb();
        Assert.InRange(bomb.Length, 200_000, 400_000);
        var before = app.ProtectedFiles();

        // Warm-up: the upload path JIT-compiled and the form page rendered once, so only the bombs are measured.
        using (await Pages.UploadAsync(client, TestImages.GoodJpeg(), null, null))
        {
        }

        var form = await Pages.GetDocumentAsync(client, "/Kyc/Submit");
        HttpResponseMessage? response = null;
        var cost = await ProcessCost.MeasureAsync(async () =>
            response = await Pages.PostUploadAsync(client, form, new UploadFile("front.png", bomb, "image/png"), new UploadFile("back.png", bomb, "image/png"), TestImages.GoodJpeg()));
        output.WriteLine($"two-bomb POST: {cost}");

        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
            var page = await Pages.ParseAsync(response);
            Assert.Equal(ImageUploadProcessor.TooManyDecodedBytesMessage, Pages.FieldError(page, "IdFront"));
            Assert.Equal(ImageUploadProcessor.TooManyDecodedBytesMessage, Pages.FieldError(page, "IdBack"));
        }

        Assert.True(cost.Cpu < TimeSpan.FromSeconds(0.5), $"the two-bomb POST cost {cost}");
        Assert.True(cost.PeakRiseBytes < 32L * 1024 * 1024, $"the two-bomb POST cost {cost}");
        Assert.Equal(before, app.ProtectedFiles());
        Assert.False(await app.WithDbAsync(db => db.Submissions.AnyAsync(s => s.ApplicantEmail == DatabaseSetup.Applicant2Email)));
    }
}
