namespace KycPortal.Data;

public static class Roles
{
    public const string Applicant = "Applicant";
    public const string Reviewer = "Reviewer";

    /// <summary>Support staff: see the ID card through the "support" redaction profile only, never the selfie, never a decision.</summary>
    public const string Support = "Support";
}
