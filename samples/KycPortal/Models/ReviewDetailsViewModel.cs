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
    DecisionViewModel Decision);
