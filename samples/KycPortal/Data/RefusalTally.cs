using System.ComponentModel.DataAnnotations;

namespace KycPortal.Data;

/// <summary>
/// Refused requests for protected files, counted: one row per minute, submission, file path, outcome, status,
/// link and user, with how many requests fell into it. A flood of refusals (no token, a forged one, a leaked
/// link replayed) adds to a count instead of adding rows, so it can neither fill the database nor push the
/// reviewers' views (<see cref="AuditEntry"/>) off a page. The key columns hold no NULL (SQLite's unique index
/// treats NULLs as distinct): 0 and "" stand for "none".
/// </summary>
public sealed class RefusalTally
{
    public long Id { get; set; }

    /// <summary>The minute the requests fell in (UTC, seconds zero).</summary>
    public DateTime MinuteUtc { get; set; }

    /// <summary>The submission the path names; 0 when it names none.</summary>
    public int SubmissionId { get; set; }

    /// <summary>
    /// The file's path in its one normal form (<c>/protected/kyc/{key}/{file}</c>) however the request spelled it;
    /// for a path that names no submission, only the folder's request path (a scanner's random paths are one row).
    /// </summary>
    [MaxLength(256)]
    public required string Path { get; set; }

    /// <summary>The package's outcome (<c>MissingToken</c>, <c>InvalidToken</c>, <c>WrongUser</c>, <c>Expired</c>…).</summary>
    [MaxLength(32)]
    public required string Outcome { get; set; }

    public int StatusCode { get; set; }

    /// <summary>The link id when the token was genuine; "" when there was no valid token.</summary>
    [MaxLength(32)]
    public string LinkId { get; set; } = "";

    /// <summary>The signed-in user who asked (their e-mail); "" when anonymous.</summary>
    [MaxLength(256)]
    public string UserName { get; set; } = "";

    public int Count { get; set; }

    /// <summary>The address of the latest request counted in this row.</summary>
    [MaxLength(64)]
    public string? LastClientIp { get; set; }

    public DateTime LastAtUtc { get; set; }
}
