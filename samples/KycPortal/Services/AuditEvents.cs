using System.Security.Claims;
using KycPortal.Data;
using KycPortal.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SignedStaticFiles;

namespace KycPortal.Services;

/// <summary>
/// The audit trail, on the package's events: resolved from DI for every request of a protected file
/// (<see cref="SignedStaticFilesOptions.EventsType"/>, registered scoped), so it takes the request's database
/// context like any other service. A view is one row (<see cref="AuditEntry"/>); refusals are counted per
/// minute, file, outcome, link and user (<see cref="RefusalTally"/>), so a flood cannot bury the views. Either
/// is attributed to its submission from the path in one normal form (<see cref="ProtectedPaths"/>): a served
/// request's path is the link's sealed path; a refused one may be spelled any way the server accepts. The
/// event context never carries the token, and neither does a row.
/// </summary>
public sealed class AuditEvents(KycDbContext db, ProtectedPaths paths, TimeProvider time) : SignedStaticFilesEvents
{
    public override async Task Served(SignedFileEventContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (submissionId, path) = await AttributeAsync(context.Path);
        var http = context.HttpContext;
        db.AuditEntries.Add(new AuditEntry
        {
            AtUtc = time.GetUtcNow().UtcDateTime,
            Path = path,
            SubmissionId = submissionId == 0 ? null : submissionId,
            UserName = UserName(http.User),
            ClientIp = http.Connection.RemoteIpAddress?.ToString(),
            Outcome = context.Outcome.ToString(),
            StatusCode = context.StatusCode,
            LinkId = context.LinkId,
        });

        // Not the request's abort token: a client that hangs up must still leave its trace.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    public override async Task Rejected(SignedFileEventContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (submissionId, path) = await AttributeAsync(context.Path);
        var http = context.HttpContext;
        var now = time.GetUtcNow().UtcDateTime;
        var minute = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        var outcome = context.Outcome.ToString();
        var status = context.StatusCode;
        var linkId = context.LinkId ?? "";
        var userName = UserName(http.User) ?? "";
        var clientIp = http.Connection.RemoteIpAddress?.ToString();

        // Add to the minute's row, or start it, in one statement: concurrent refusals of the same kind neither
        // race nor fail (SQLite's upsert; the conflict target is the unique index of KycDbContext).
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "RefusalTallies" ("MinuteUtc", "SubmissionId", "Path", "Outcome", "StatusCode", "LinkId", "UserName", "Count", "LastClientIp", "LastAtUtc")
            VALUES ({minute}, {submissionId}, {path}, {outcome}, {status}, {linkId}, {userName}, 1, {clientIp}, {now})
            ON CONFLICT ("MinuteUtc", "SubmissionId", "Path", "Outcome", "StatusCode", "LinkId", "UserName")
            DO UPDATE SET "Count" = "Count" + 1, "LastClientIp" = excluded."LastClientIp", "LastAtUtc" = excluded."LastAtUtc"
            """,
            CancellationToken.None);
    }

    /// <summary>The submission a request path names (0 for none) and the path to record for it.</summary>
    private async Task<(int SubmissionId, string Path)> AttributeAsync(string requestPath)
    {
        if (paths.TryReadStoredPath(requestPath, out var key, out var storedPath))
        {
            var submission = await db.Submissions.AsNoTracking().Where(s => s.StorageKey == key)
                .Select(s => new { s.Id, s.IdFrontPath, s.IdBackPath, s.SelfiePath })
                .FirstOrDefaultAsync(CancellationToken.None);
            if (submission is not null)
            {
                // One of its files under its one path; anything else below the submission's folder is one row.
                var file = storedPath == submission.IdFrontPath || storedPath == submission.IdBackPath || storedPath == submission.SelfiePath
                    ? storedPath
                    : $"{SubmissionStore.FolderName}/{key}/…";
                return (submission.Id, paths.RequestPathOf(file));
            }
        }

        // A path that names no submission is not worth a row of its own: a scanner's random paths share one.
        return (0, paths.RequestPath.Value!);
    }

    private static string? UserName(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.Name) : null;
}
