using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace KycPortal.Data;

/// <summary>Identity tables, KYC submissions and the audit trail, in one SQLite file.</summary>
public sealed class KycDbContext(DbContextOptions<KycDbContext> options) : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<KycSubmission> Submissions => Set<KycSubmission>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<RefusalTally> RefusalTallies => Set<RefusalTally>();

    public DbSet<UserSession> UserSessions => Set<UserSession>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<KycSubmission>(e =>
        {
            e.HasIndex(s => s.ApplicantId);
            e.HasIndex(s => s.Status);
            e.HasIndex(s => s.StorageKey).IsUnique();
            e.Property(s => s.Status).HasConversion<string>();
        });
        builder.Entity<UserSession>(e =>
        {
            e.HasIndex(s => s.UserId);
            e.HasIndex(s => s.ExpiresUtc);
        });
        builder.Entity<AuditEntry>(e =>
        {
            e.HasIndex(a => a.SubmissionId);
        });
        builder.Entity<RefusalTally>(e =>
        {
            // The counting key: a refusal adds to the row of its minute, file, outcome, link and user.
            e.HasIndex(t => new { t.MinuteUtc, t.SubmissionId, t.Path, t.Outcome, t.StatusCode, t.LinkId, t.UserName }).IsUnique();
            e.HasIndex(t => t.SubmissionId);
        });
    }
}
