using System.ComponentModel.DataAnnotations;

namespace KycPortal.Models;

public sealed class DecisionViewModel
{
    public const string Approve = "approve";
    public const string Reject = "reject";

    /// <summary><c>approve</c> or <c>reject</c>: the value of the button pressed.</summary>
    [Required, RegularExpression("^(approve|reject)$")]
    public string Verdict { get; set; } = "";

    /// <summary>Why: required to reject, optional to approve.</summary>
    [MaxLength(500)]
    public string? Reason { get; set; }
}
