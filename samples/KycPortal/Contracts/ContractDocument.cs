using SkiaSharp;

namespace KycPortal.Contracts;

/// <summary>
/// The applicant's identity-verification agreement: a one-page A4 PDF drawn at submission time with SkiaSharp's
/// <see cref="SKDocument"/> (system fonts), naming the applicant, the submission and its date. Invented wording: a
/// demo of a document served as a single-use download, not a legal text.
/// </summary>
public static class ContractDocument
{
    /// <summary>The name the browser saves it under (<c>download-name</c>).</summary>
    public const string DownloadName = "kyc-agreement.pdf";

    private const float Width = 595;    // A4 in PDF points (1/72 inch)
    private const float Height = 842;

    public static byte[] Create(string applicantEmail, string reference, DateTime submittedUtc)
    {
        ArgumentNullException.ThrowIfNull(applicantEmail);
        using var output = new MemoryStream();
        using (var document = SKDocument.CreatePdf(output, new SKDocumentPdfMetadata { Title = "Identity verification agreement", Producer = "KycPortal" }))
        {
            var canvas = document.BeginPage(Width, Height);
            using var ink = new SKPaint { Color = new SKColor(20, 28, 40), IsAntialias = true };
            using var title = new SKFont(SKTypeface.FromFamilyName(null, SKFontStyle.Bold), 20);
            using var body = new SKFont(SKTypeface.FromFamilyName(null, SKFontStyle.Normal), 11);
            var y = 80f;
            canvas.DrawText("Identity verification agreement", 60, y, SKTextAlign.Left, title, ink);
            y += 36;
            foreach (var line in new[]
            {
                $"Applicant: {applicantEmail}",
                $"Reference: {reference}",
                $"Submitted: {submittedUtc:yyyy-MM-dd HH:mm} UTC",
                "",
                "The applicant submitted an identity card (front and back) and a selfie for",
                "verification. KycPortal keeps them outside any public folder and shows them only",
                "through short-lived signed links, stamped with the viewer and the link, and",
                "deletes them when the applicant closes the account.",
                "",
                "SPECIMEN - demo document, no legal effect.",
            })
            {
                canvas.DrawText(line, 60, y, SKTextAlign.Left, body, ink);
                y += 18;
            }

            document.EndPage();
            document.Close();
        }

        return output.ToArray();
    }
}
