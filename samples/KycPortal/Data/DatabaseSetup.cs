using KycPortal.Infrastructure;
using KycPortal.Services;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KycPortal.Data;

/// <summary>Creates the database on start and, in Development, the demo accounts and one pending submission.</summary>
public static class DatabaseSetup
{
    /// <summary>Demo-only password of the seeded accounts. Never use seeded accounts outside a laptop.</summary>
    public const string DemoPassword = "Passw0rd!demo";
    public const string ApplicantEmail = "applicant@kyc.example";
    public const string Applicant2Email = "applicant2@kyc.example";
    public const string ReviewerEmail = "reviewer@kyc.example";

    public static async Task InitializeAsync(IServiceProvider services, bool seedDemoData)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KycDbContext>();
        await db.Database.EnsureCreatedAsync();

        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in new[] { Roles.Applicant, Roles.Reviewer })
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }

        if (!seedDemoData)
        {
            return;
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var applicant = await EnsureUserAsync(users, ApplicantEmail, Roles.Applicant);
        await EnsureUserAsync(users, Applicant2Email, Roles.Applicant);
        await EnsureUserAsync(users, ReviewerEmail, Roles.Reviewer);

        if (!await db.Submissions.AnyAsync(s => s.ApplicantId == applicant.Id))
        {
            // Synthetic SPECIMEN documents, drawn here: no real person's data ships with the sample.
            var store = scope.ServiceProvider.GetRequiredService<SubmissionStore>();
            await store.CreateAsync(applicant, new ProcessedImages(
                SpecimenImages.IdFront(), SpecimenImages.IdBack(), SpecimenImages.Selfie()));
        }
    }

    private static async Task<IdentityUser> EnsureUserAsync(UserManager<IdentityUser> users, string email, string role)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            Check(await users.CreateAsync(user, DemoPassword));
        }

        if (!await users.IsInRoleAsync(user, role))
        {
            Check(await users.AddToRoleAsync(user, role));
        }

        return user;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Seeding failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
