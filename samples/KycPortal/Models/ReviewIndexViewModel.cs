using KycPortal.Data;

namespace KycPortal.Models;

public sealed record ReviewIndexViewModel(IReadOnlyList<KycSubmission> Pending);
