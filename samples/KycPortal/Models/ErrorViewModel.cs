namespace KycPortal.Models;

public sealed record ErrorViewModel(string? RequestId);
