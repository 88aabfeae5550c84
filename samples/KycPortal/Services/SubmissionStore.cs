using System.Security.Cryptography;
using KycPortal.Data;
using KycPortal.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KycPortal.Services;

/// <summary>Stores submissions: files under <c>protected/kyc/{random key}/{random name}</c>, a row in SQLite.</summary>
public sealed class SubmissionStore(KycDbContext db, IKycFileStore files, TimeProvider time)
{
    public const string FolderName = "kyc";
    private const int NameBytes = 12;

    public async Task<KycSubmission> CreateAsync(IdentityUser applicant, ProcessedImages images, CancellationToken cancellationToken = default)
    {
        // Random names: nothing in a path is guessable or says whose document it is.
        var key = RandomName();
        var written = new List<(KycFolder Folder, string Path)>();
        try
        {
            var email = applicant.Email ?? applicant.UserName ?? applicant.Id;
            var submittedUtc = time.GetUtcNow().UtcDateTime;
            var submission = new KycSubmission
            {
                ApplicantId = applicant.Id,
                ApplicantEmail = email,
                StorageKey = key,
                IdFrontPath = await WriteAsync(key, images.IdFront, written, cancellationToken),
                IdBackPath = await WriteAsync(key, images.IdBack, written, cancellationToken),
                SelfiePath = await WriteAsync(key, images.Selfie, written, cancellationToken),
                ContractPath = await WriteContractAsync(key, Contracts.ContractDocument.Create(email, key, submittedUtc), written, cancellationToken),
                SubmittedUtc = submittedUtc,
            };
            db.Submissions.Add(submission);
            await db.SaveChangesAsync(cancellationToken);
            return submission;
        }
        catch
        {
            foreach (var (folder, path) in written)
            {
                await files.DeleteAsync(folder, path, CancellationToken.None);
            }

            throw;
        }
    }

    public Task<KycSubmission?> LatestForApplicantAsync(string applicantId) =>
        db.Submissions.Where(s => s.ApplicantId == applicantId).OrderByDescending(s => s.Id).FirstOrDefaultAsync();

    public Task<List<KycSubmission>> PendingAsync() =>
        db.Submissions.Where(s => s.Status == KycStatus.Pending).OrderBy(s => s.Id).ToListAsync();

    /// <summary>Every submission, newest first (support's list).</summary>
    public Task<List<KycSubmission>> AllAsync(int take = 200) =>
        db.Submissions.OrderByDescending(s => s.Id).Take(take).ToListAsync();

    public Task<KycSubmission?> FindAsync(int id) => db.Submissions.FirstOrDefaultAsync(s => s.Id == id);

    /// <summary>The views of a submission's files, newest first.</summary>
    public Task<List<AuditEntry>> ViewsAsync(int submissionId, int take = 200) =>
        db.AuditEntries.Where(a => a.SubmissionId == submissionId && a.Outcome != LinkWithdrawal.RevokedOutcome).OrderByDescending(a => a.Id).Take(take).ToListAsync();

    /// <summary>The reviewers' revocations of the submission's links, newest first.</summary>
    public Task<List<AuditEntry>> RevocationsAsync(int submissionId) =>
        db.AuditEntries.Where(a => a.SubmissionId == submissionId && a.Outcome == LinkWithdrawal.RevokedOutcome).OrderByDescending(a => a.Id).ToListAsync();

    /// <summary>The refused requests for a submission's files, counted per minute, newest minute first.</summary>
    public Task<List<RefusalTally>> RefusalsAsync(int submissionId, int take = 200) =>
        db.RefusalTallies.Where(t => t.SubmissionId == submissionId).OrderByDescending(t => t.MinuteUtc).ThenByDescending(t => t.Count).Take(take).ToListAsync();

    /// <summary>The regions a reviewer masks in support's view of the submission.</summary>
    public Task<List<RedactionArea>> RedactionAreasAsync(int submissionId) =>
        db.RedactionAreas.Where(a => a.SubmissionId == submissionId).OrderBy(a => a.Id).ToListAsync();

    /// <summary>Replaces the submission's regions with <paramref name="areas"/> (already validated).</summary>
    public async Task ReplaceRedactionAreasAsync(int submissionId, IReadOnlyList<RedactionArea> areas)
    {
        db.RedactionAreas.RemoveRange(await db.RedactionAreas.Where(a => a.SubmissionId == submissionId).ToListAsync());
        db.RedactionAreas.AddRange(areas);
        await db.SaveChangesAsync();
    }

    public async Task DecideAsync(KycSubmission submission, bool approve, string? reason, string reviewer)
    {
        submission.Status = approve ? KycStatus.Approved : KycStatus.Rejected;
        submission.DecisionReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        submission.DecidedBy = reviewer;
        submission.DecidedUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync();
    }

    private async Task<string> WriteAsync(string key, ProcessedImage image, List<(KycFolder, string)> written, CancellationToken cancellationToken)
    {
        var relative = $"{FolderName}/{key}/{RandomName()}{image.Extension}";
        written.Add((KycFolder.Documents, relative));
        await files.WriteAsync(KycFolder.Documents, relative, image.Bytes, cancellationToken);
        return relative;
    }

    private async Task<string> WriteContractAsync(string key, byte[] pdf, List<(KycFolder, string)> written, CancellationToken cancellationToken)
    {
        var relative = $"{FolderName}/{key}/{RandomName()}.pdf";
        written.Add((KycFolder.Contracts, relative));
        await files.WriteAsync(KycFolder.Contracts, relative, pdf, cancellationToken);
        return relative;
    }

    private static string RandomName() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(NameBytes));

    /// <summary>Whether <paramref name="value"/> has the shape of a storage key: lower-case hex of <see cref="NameBytes"/> bytes.</summary>
    public static bool IsStorageKey(string value) =>
        value.Length == NameBytes * 2 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
