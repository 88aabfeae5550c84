using KycPortal.Data;

namespace KycPortal.Models;

/// <param name="Views">Every view of the submission's files through a valid link, newest first.</param>
/// <param name="Refusals">Refused requests for its files, counted per minute, newest first.</param>
/// <param name="Watermark">The stamp template of every image this reviewer is shown: who looked, when, through which link.</param>
public sealed record ReviewDetailsViewModel(
    KycSubmission Submission,
    IReadOnlyList<AuditEntry> Views,
    IReadOnlyList<RefusalTally> Refusals,
    string Watermark,
    DecisionViewModel Decision)
{
    /// <summary>The rows of the regions form: the stored regions, then empty rows up to the limit per side.</summary>
    public IReadOnlyList<RegionFormRow> Regions { get; init; } = [];

    /// <summary>Why the regions form was refused; empty when it was not posted or was saved.</summary>
    public IReadOnlyList<string> RegionErrors { get; init; } = [];

    /// <summary>Reviewers' revocations of this submission's links, newest first.</summary>
    public IReadOnlyList<AuditEntry> Revocations { get; init; } = [];

    /// <summary>Support's view of the ID card as it is now (the profile and the stored regions), for the reviewer to check.</summary>
    public IReadOnlyList<SupportImage> SupportPreview { get; init; } = [];
}
