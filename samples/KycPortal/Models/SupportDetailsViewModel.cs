using KycPortal.Data;

namespace KycPortal.Models;

/// <summary>One submission as support sees it: its status and the ID card's redacted copies.</summary>
public sealed record SupportDetailsViewModel(KycSubmission Submission, IReadOnlyList<SupportImage> Images);
