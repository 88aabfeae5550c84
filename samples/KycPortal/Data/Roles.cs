namespace KycPortal.Data;

public static class Roles
{
    public const string Applicant = "Applicant";
    public const string Reviewer = "Reviewer";
}
