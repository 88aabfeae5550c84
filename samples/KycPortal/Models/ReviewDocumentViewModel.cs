using KycPortal.Data;

namespace KycPortal.Models;

/// <summary>One document of a submission at full size.</summary>
/// <param name="Side"><c>front</c>, <c>back</c> or <c>selfie</c> (<see cref="Sides"/>).</param>
/// <param name="Watermark">The reviewer's stamp template.</param>
public sealed record ReviewDocumentViewModel(KycSubmission Submission, string Side, string Watermark)
{
    /// <summary>The documents of a submission, in page order, by the name used in their URL.</summary>
    public static readonly IReadOnlyList<string> Sides = ["front", "back", "selfie"];

    public string StoredPath => PathOf(Submission, Side);

    public string Title => TitleOf(Side);

    public static string PathOf(KycSubmission submission, string side)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return side switch
        {
            "front" => submission.IdFrontPath,
            "back" => submission.IdBackPath,
            "selfie" => submission.SelfiePath,
            _ => throw new ArgumentOutOfRangeException(nameof(side), side, "front, back or selfie"),
        };
    }

    public static string TitleOf(string side) => side switch
    {
        "front" => "ID front",
        "back" => "ID back",
        "selfie" => "Selfie",
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "front, back or selfie"),
    };
}
