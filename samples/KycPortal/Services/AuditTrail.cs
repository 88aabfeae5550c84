using System.Security.Claims;
using KycPortal.Data;
using Microsoft.EntityFrameworkCore;
using SignedStaticFiles;

namespace KycPortal.Services;

/// <summary>
/// Hangs on the package's <c>OnServed</c>/<c>OnRejected</c> events: one SQLite row per request of a
/// protected file, served or refused. The event context never carries the token, and neither does the row.
/// </summary>
public static class AuditTrail
{
    private const string KycPrefix = "/protected/" + SubmissionStore.FolderName + "/";

    public static async Task RecordAsync(SignedFileEventContext context)
    {
        var http = context.HttpContext;
        var db = http.RequestServices.GetRequiredService<KycDbContext>();
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var path = context.Path.Length > 512 ? context.Path[..512] : context.Path;

        db.AuditEntries.Add(new AuditEntry
        {
            AtUtc = time.GetUtcNow().UtcDateTime,
            Path = path,
            SubmissionId = await FindSubmissionAsync(db, path),
            UserName = http.User.Identity?.IsAuthenticated == true ? http.User.FindFirstValue(ClaimTypes.Name) : null,
            ClientIp = http.Connection.RemoteIpAddress?.ToString(),
            Outcome = context.Outcome.ToString(),
            StatusCode = context.StatusCode,
            LinkId = context.LinkId,
        });
        // Not the request's abort token: a client that hangs up must still leave its trace.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Paths look like <c>/protected/kyc/{StorageKey}/{file}</c>; the key names the submission.</summary>
    private static async Task<int?> FindSubmissionAsync(KycDbContext db, string path)
    {
        if (!path.StartsWith(KycPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path.AsSpan(KycPrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return null;
        }

        var key = rest[..slash].ToString();
        return await db.Submissions.Where(s => s.StorageKey == key).Select(s => (int?)s.Id).FirstOrDefaultAsync();
    }
}
