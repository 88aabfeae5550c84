using KycPortal.Data;

namespace KycPortal.Models;

public sealed record KycIndexViewModel(KycSubmission? Submission, bool CanSubmit);
