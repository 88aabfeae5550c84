using System.ComponentModel.DataAnnotations;

namespace KycPortal.Data;

/// <summary>One applicant's identity check: three images and the reviewer's decision.</summary>
public sealed class KycSubmission
{
    public int Id { get; set; }

    [MaxLength(450)]
    public required string ApplicantId { get; set; }

    [MaxLength(256)]
    public required string ApplicantEmail { get; set; }

    /// <summary>The random folder name under <c>protected/kyc/</c> holding this submission's files.</summary>
    [MaxLength(32)]
    public required string StorageKey { get; set; }

    /// <summary>Paths relative to the protected folder (<c>kyc/{StorageKey}/{random}.jpg</c>).</summary>
    [MaxLength(128)]
    public required string IdFrontPath { get; set; }

    [MaxLength(128)]
    public required string IdBackPath { get; set; }

    [MaxLength(128)]
    public required string SelfiePath { get; set; }

    /// <summary>The agreement (PDF), relative to the contracts folder (<c>kyc/{StorageKey}/{random}.pdf</c>).</summary>
    [MaxLength(128)]
    public required string ContractPath { get; set; }

    public KycStatus Status { get; set; } = KycStatus.Pending;

    public DateTime SubmittedUtc { get; set; }

    public DateTime? DecidedUtc { get; set; }

    [MaxLength(256)]
    public string? DecidedBy { get; set; }

    [MaxLength(500)]
    public string? DecisionReason { get; set; }
}
