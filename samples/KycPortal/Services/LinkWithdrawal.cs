using KycPortal.Data;
using KycPortal.Infrastructure;
using KycPortal.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SignedStaticFiles;

namespace KycPortal.Services;

/// <summary>
/// Withdraws links (the package's <see cref="ISignedUrlRevoker"/>, docs/revocation.md): everything issued until
/// now for a submission, in both folders, or everything of an applicant who closes their account (their links,
/// every link to their files, their sessions, their files). Each withdrawal leaves a row in the audit trail.
/// Revocations live in the memory of this one server (the package's default): a restart forgets them, which is
/// why the links are short-lived and why a closed account's files are deleted, not only its links revoked.
/// </summary>
public sealed class LinkWithdrawal(
    ISignedUrlRevoker revoker,
    KycDbContext db,
    IKycFileStore files,
    ProtectedPaths requestPaths,
    DatabaseTicketStore sessions,
    TimeProvider time)
{
    /// <summary>The audit outcome of a reviewer's revocation.</summary>
    public const string RevokedOutcome = "LinksRevoked";

    /// <summary>The audit outcome of an account closed by its applicant.</summary>
    public const string AccountClosedOutcome = "AccountClosed";

    /// <summary>Every link issued until now to any file of <paramref name="submission"/>, in both folders.</summary>
    public async Task RevokeSubmissionAsync(KycSubmission submission, string by, string? clientIp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        await RevokeFoldersAsync(submission.StorageKey, cancellationToken);
        db.AuditEntries.Add(Entry(submission, submission.Id, by, clientIp, RevokedOutcome));
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// Closes an applicant's account: every link bound to them and every link to their files revoked, every session
    /// ended, their files and submissions deleted, then the account itself. The audit keeps one row per submission.
    /// </summary>
    public async Task CloseAccountAsync(IdentityUser user, UserManager<IdentityUser> users, string? clientIp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(users);
        await revoker.RevokeUserAsync(user.Id, cancellationToken);
        var submissions = await db.Submissions.Where(s => s.ApplicantId == user.Id).ToListAsync(cancellationToken);
        foreach (var submission in submissions)
        {
            // Reviewers' and support's links to these files too: the files are about to go, the links with them.
            await RevokeFoldersAsync(submission.StorageKey, cancellationToken);
            foreach (var path in new[] { submission.IdFrontPath, submission.IdBackPath, submission.SelfiePath })
            {
                await files.DeleteAsync(KycFolder.Documents, path, CancellationToken.None);
            }

            await files.DeleteAsync(KycFolder.Contracts, submission.ContractPath, CancellationToken.None);
            db.AuditEntries.Add(Entry(submission, null, user.Email ?? user.Id, clientIp, AccountClosedOutcome));
        }

        var ids = submissions.Select(s => s.Id).ToList();
        await db.RedactionAreas.Where(a => ids.Contains(a.SubmissionId)).ExecuteDeleteAsync(CancellationToken.None);
        db.Submissions.RemoveRange(submissions);
        await db.SaveChangesAsync(CancellationToken.None);
        await sessions.RemoveAllAsync(user.Id);
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
        {
            throw new InvalidOperationException("The account could not be deleted: " + string.Join("; ", deleted.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>
    /// Applies again, at start and before the app serves, every revocation recorded in the audit trail that a link
    /// could still outlive (issued before it, within the folders' longest <c>MaxLifetime</c>): the package keeps
    /// revocations in the memory of the process, so without this a restart would bring revoked links back. The
    /// cutoff is now, so links minted between the revocation and the restart are refused too: fail closed, and
    /// the pages mint new ones.
    /// </summary>
    public static async Task ReapplyAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<SignedStaticFilesOptions>>();
        var longest = new[] { options.Get(Microsoft.Extensions.Options.Options.DefaultName), options.Get(ProtectedPaths.ContractsFolder) }.Max(o => o.MaxLifetime);
        var since = provider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime - longest;
        var db = provider.GetRequiredService<KycDbContext>();
        var recorded = await db.AuditEntries.AsNoTracking()
            .Where(a => (a.Outcome == RevokedOutcome || a.Outcome == AccountClosedOutcome) && a.AtUtc >= since)
            .Select(a => a.Path).Distinct().ToListAsync();
        var withdrawal = provider.GetRequiredService<LinkWithdrawal>();
        var requestPaths = provider.GetRequiredService<ProtectedPaths>();
        foreach (var path in recorded)
        {
            if (requestPaths.TryReadStoredPath(path, out var storageKey, out _))
            {
                await withdrawal.RevokeFoldersAsync(storageKey, CancellationToken.None);
            }
        }
    }

    private async Task RevokeFoldersAsync(string storageKey, CancellationToken cancellationToken)
    {
        var folder = $"/{SubmissionStore.FolderName}/{storageKey}";
        await revoker.RevokePathAsync(requestPaths.RequestPath.Add(folder).Value!, cancellationToken);
        await revoker.RevokePathAsync(requestPaths.ContractsRequestPath.Add(folder).Value!, cancellationToken);
    }

    private AuditEntry Entry(KycSubmission submission, int? submissionId, string by, string? clientIp, string outcome) => new()
    {
        AtUtc = time.GetUtcNow().UtcDateTime,
        SubmissionId = submissionId,
        Path = requestPaths.RequestPathOf($"{SubmissionStore.FolderName}/{submission.StorageKey}/…"),
        UserName = by,
        ClientIp = clientIp,
        Outcome = outcome,
        StatusCode = 0,
    };
}
