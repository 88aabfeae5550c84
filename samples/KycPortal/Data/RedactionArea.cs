namespace KycPortal.Data;

/// <summary>
/// A region a reviewer masks in support's view of one side of a submission's ID card, in fractions 0–1 of the
/// upright image. Sealed into each of support's links (<c>SignedUrlOptions.RedactionRegions</c>), on top of the
/// "support" profile's regions.
/// </summary>
public sealed class RedactionArea
{
    public int Id { get; set; }

    public int SubmissionId { get; set; }

    /// <summary><c>front</c> or <c>back</c>.</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(8)]
    public required string Side { get; set; }

    public double X { get; set; }

    public double Y { get; set; }

    public double Width { get; set; }

    public double Height { get; set; }
}
