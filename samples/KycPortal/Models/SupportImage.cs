namespace KycPortal.Models;

/// <summary>A redacted copy of one side of the ID card: its title and its signed URL (minted by the controller).</summary>
public sealed record SupportImage(string Title, string Url);
