using System.ComponentModel.DataAnnotations;

namespace KycPortal.Data;

/// <summary>
/// One view of a protected file: a request the signed-files middleware served through a valid link (one row
/// each: who looked, at which file, when, from where). Refused requests are counted apart
/// (<see cref="RefusalTally"/>). Never the token: the link id is a random handle that cannot be turned back
/// into the link.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime AtUtc { get; set; }

    /// <summary>The submission the file belongs to, when the path names one.</summary>
    public int? SubmissionId { get; set; }

    [MaxLength(512)]
    public required string Path { get; set; }

    /// <summary>The signed-in user who asked (their e-mail), or null when anonymous.</summary>
    [MaxLength(256)]
    public string? UserName { get; set; }

    [MaxLength(64)]
    public string? ClientIp { get; set; }

    /// <summary>The package's outcome: <c>Served</c>.</summary>
    [MaxLength(32)]
    public required string Outcome { get; set; }

    public int StatusCode { get; set; }

    [MaxLength(32)]
    public string? LinkId { get; set; }
}
