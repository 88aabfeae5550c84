using System.ComponentModel.DataAnnotations;

namespace KycPortal.Models;

/// <summary>The upload form. The files are checked by <c>ImageUploadProcessor</c>, whose messages land next to each field.</summary>
public sealed class SubmitViewModel
{
    [Display(Name = "ID front")]
    public IFormFile? IdFront { get; set; }

    [Display(Name = "ID back")]
    public IFormFile? IdBack { get; set; }

    [Display(Name = "Selfie")]
    public IFormFile? Selfie { get; set; }
}
