using System.ComponentModel.DataAnnotations;

namespace KycPortal.Data;

/// <summary>
/// One decision of the signed-files middleware about a protected file: who asked, for which file, when,
/// from where, and what they got. Never the token: the link id is a random handle that cannot be turned
/// back into the link.
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

    /// <summary>The package's outcome (<c>Served</c>, <c>WrongUser</c>, <c>Expired</c>…).</summary>
    [MaxLength(32)]
    public required string Outcome { get; set; }

    public int StatusCode { get; set; }

    [MaxLength(32)]
    public string? LinkId { get; set; }
}
