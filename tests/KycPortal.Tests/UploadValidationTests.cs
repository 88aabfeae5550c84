using System.Net;
using KycPortal.Data;
using KycPortal.Services;
using KycPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KycPortal.Tests;

/// <summary>
/// Every bad file gets its own message next to its field, the page answers 200 (never a 500), and
/// nothing is stored: no file under the protected folder, no submission row. The app is shared by the
/// cases because a correct app stores nothing; each case checks that.
/// </summary>
public sealed class UploadValidationTests(KycPortalFactory app) : IClassFixture<KycPortalFactory>
{
    public static TheoryData<string, string> BadFiles => new()
    {
        { "text-named-jpg", ImageUploadProcessor.NotAnImageMessage },
        { "png-bomb-50000x50000", ImageUploadProcessor.TooManyPixelsMessage },
        { "eleven-megabytes", ImageUploadProcessor.TooLargeMessage },
        { "empty", ImageUploadProcessor.EmptyMessage },
        { "truncated-jpeg", ImageUploadProcessor.UnreadableMessage },
        { "gif-named-png", ImageUploadProcessor.NotAnImageMessage },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task BadFile_GetsItsFormError_NothingStored(string kind, string message)
    {
        using var client = await app.SignedInClientAsync(DatabaseSetup.Applicant2Email);
        var before = app.ProtectedFiles();
        Assert.Equal(3, before.Count);   // the seeded submission

        foreach (var field in new[] { "IdFront", "IdBack", "Selfie" })
        {
            var bad = Bad(kind);
            using var response = await Pages.UploadAsync(
                client,
                field == "IdFront" ? bad : TestImages.GoodJpeg(),
                field == "IdBack" ? bad : TestImages.GoodPng(),
                field == "Selfie" ? bad : TestImages.GoodJpeg());

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await Pages.ParseAsync(response);
            Assert.Equal(message, Pages.FieldError(page, field));
            foreach (var other in new[] { "IdFront", "IdBack", "Selfie" }.Where(f => f != field))
            {
                Assert.Null(Pages.FieldError(page, other));
            }
        }

        Assert.Equal(before, app.ProtectedFiles());
        Assert.False(await app.WithDbAsync(db => db.Submissions.AnyAsync(s => s.ApplicantEmail == DatabaseSetup.Applicant2Email)));
    }

    [Fact]
    public async Task ThreeBadFiles_EachGetsItsOwnMessage()
    {
        using var client = await app.SignedInClientAsync(DatabaseSetup.Applicant2Email);
        var before = app.ProtectedFiles();
        Assert.Equal(3, before.Count);   // the seeded submission
        using var response = await Pages.UploadAsync(client, Bad("text-named-jpg"), Bad("png-bomb-50000x50000"), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Pages.ParseAsync(response);
        Assert.Equal(ImageUploadProcessor.NotAnImageMessage, Pages.FieldError(page, "IdFront"));
        Assert.Equal(ImageUploadProcessor.TooManyPixelsMessage, Pages.FieldError(page, "IdBack"));
        Assert.Equal(ImageUploadProcessor.MissingMessage, Pages.FieldError(page, "Selfie"));
        Assert.Equal(before, app.ProtectedFiles());
    }

    [Fact]
    public async Task ThreeOversizeFiles_UnderTestServer_EachGetsItsMessage()
    {
        using var client = await app.SignedInClientAsync(DatabaseSetup.Applicant2Email);
        var before = app.ProtectedFiles();
        using var response = await Pages.UploadAsync(client, Bad("eleven-megabytes"), Bad("eleven-megabytes"), Bad("eleven-megabytes"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Pages.ParseAsync(response);
        Assert.All(new[] { "IdFront", "IdBack", "Selfie" }, f => Assert.Equal(ImageUploadProcessor.TooLargeMessage, Pages.FieldError(page, f)));
        Assert.Equal(before, app.ProtectedFiles());
    }

    [Theory]
    [InlineData("Passport")]
    [InlineData("IdFront")]
    public async Task FileBeyondTheThreeFields_RefusesTheWholeForm_NothingStored(string extraField)
    {
        using var client = await app.SignedInClientAsync(DatabaseSetup.Applicant2Email);
        var before = app.ProtectedFiles();
        var form = await Pages.GetDocumentAsync(client, "/Kyc/Submit");

        using var response = await Pages.PostUploadAsync(
            client, form, TestImages.GoodJpeg(), TestImages.GoodPng(), TestImages.GoodJpeg(), [(extraField, TestImages.GoodJpeg("extra.jpg"))]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Pages.ParseAsync(response);
        Assert.Contains(KycPortal.Controllers.KycController.UnexpectedFilesMessage, page.QuerySelector(".form-errors")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, app.ProtectedFiles());
        Assert.False(await app.WithDbAsync(db => db.Submissions.AnyAsync(s => s.ApplicantEmail == DatabaseSetup.Applicant2Email)));
    }

    /// <summary>
    /// Over Kestrel, a whole request above the action's limit (three files of 11 MB: more than 3 × 10 MB
    /// plus form overhead) is refused by the server before the form is read: a plain 400, never a 500,
    /// nothing stored. (A single oversize file stays under that limit and gets its field message above.)
    /// </summary>
    [Fact]
    public async Task RequestOverTheBodyLimit_OnKestrel_Returns400_NotA500_NothingStored()
    {
        await using var kestrel = new KycPortalFactory();
        kestrel.StartKestrel();
        using var client = await kestrel.SignedInClientAsync(DatabaseSetup.Applicant2Email);
        var before = kestrel.ProtectedFiles();

        // Expect: 100-continue (as curl sends for large bodies): the server answers from the
        // Content-Length alone. Without it the server answers the same and closes the connection mid-upload.
        client.DefaultRequestHeaders.ExpectContinue = true;
        using var response = await Pages.UploadAsync(client, Bad("eleven-megabytes"), Bad("eleven-megabytes"), Bad("eleven-megabytes"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, kestrel.ProtectedFiles());
        Assert.False(await kestrel.WithDbAsync(db => db.Submissions.AnyAsync(s => s.ApplicantEmail == DatabaseSetup.Applicant2Email)));
    }

    private static UploadFile Bad(string kind) => kind switch
    {
        "text-named-jpg" => new UploadFile("passport.jpg", "This is not an image, whatever its name says.\n"u8.ToArray()),
        "png-bomb-50000x50000" => new UploadFile("bomb.png", TestImages.PngBomb(), "image/png"),
        "eleven-megabytes" => new UploadFile("huge.jpg", ElevenMegabyteJpegPrefix()),
        "empty" => new UploadFile("empty.jpg", []),
        "truncated-jpeg" => new UploadFile("cut.jpg", TestImages.Jpeg(800, 600)[..600]),
        "gif-named-png" => new UploadFile("anim.png", "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;"u8.ToArray(), "image/png"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A real JPEG followed by padding up to 11 MB: an image, but over the byte limit.</summary>
    private static byte[] ElevenMegabyteJpegPrefix()
    {
        var jpeg = TestImages.Jpeg();
        var bytes = new byte[11 * 1024 * 1024];
        jpeg.CopyTo(bytes, 0);
        return bytes;
    }
}
