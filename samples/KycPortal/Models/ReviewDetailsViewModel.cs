using KycPortal.Data;

namespace KycPortal.Models;

/// <param name="Watermark">Stamped on every image this reviewer is shown: who looked, and when.</param>
public sealed record ReviewDetailsViewModel(
    KycSubmission Submission,
    IReadOnlyList<AuditEntry> Audit,
    string Watermark,
    DecisionViewModel Decision);
