using KycPortal.Infrastructure;
using KycPortal.Services;
using KycPortal.Specimens;
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
        await CreateSchemaAsync(db, scope.ServiceProvider.GetRequiredService<KycPaths>(), seedDemoData,
            scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseSetup)));

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
                new ProcessedImage(SpecimenCard.Front(), ".jpg"),
                new ProcessedImage(SpecimenCard.Back(), ".jpg"),
                new ProcessedImage(SpecimenCard.Selfie(), ".jpg")));
        }
    }

    /// <summary>
    /// EnsureCreated, and why it is enough here: it creates the schema when the database file does not exist and
    /// does nothing at all when it does: it never migrates. That suits a demo whose data is a seed. A real
    /// deployment uses EF Core migrations instead (<c>dotnet ef migrations add Initial</c>, then
    /// <c>Database.MigrateAsync()</c> or a migration bundle run by the deployment, not by every node at start).
    /// So that a clone that ran an older version of the sample does not fail on a missing table, the schema's
    /// fingerprint is kept beside the database: when it differs, the demo database and its files are recreated;
    /// a database that is not a demo is never touched, and the app stops with this explanation instead.
    /// </summary>
    private static async Task CreateSchemaAsync(KycDbContext db, KycPaths paths, bool demo, ILogger logger)
    {
        var fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(db.Database.GenerateCreateScript())));
        var fingerprintFile = paths.DatabaseFile + ".schema";
        if (File.Exists(paths.DatabaseFile) && (!File.Exists(fingerprintFile) || await File.ReadAllTextAsync(fingerprintFile) != fingerprint))
        {
            if (!demo)
            {
                throw new InvalidOperationException(
                    $"The database {paths.DatabaseFile} was created by another version of KycPortal and EnsureCreated never migrates. "
                    + "Use EF Core migrations for a database worth keeping, or delete the file (and the protected folder) to start afresh.");
            }

            logger.LogWarning("The demo database {Database} was created by another version of KycPortal: recreating it and its files.", paths.DatabaseFile);
            await db.Database.EnsureDeletedAsync();
            var files = Path.Combine(paths.ProtectedFolder, SubmissionStore.FolderName);
            if (Directory.Exists(files))
            {
                Directory.Delete(files, recursive: true);
            }
        }

        await db.Database.EnsureCreatedAsync();
        await File.WriteAllTextAsync(fingerprintFile, fingerprint);

        // Write-ahead logging: page reads never wait for the audit's writes, and a write is not a full journal
        // sync. The mode is kept in the database file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
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
