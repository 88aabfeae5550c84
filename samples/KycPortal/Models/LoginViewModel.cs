using System.ComponentModel.DataAnnotations;

namespace KycPortal.Models;

public sealed class LoginViewModel
{
    [Required, EmailAddress, MaxLength(256)]
    public string Email { get; set; } = "";

    [Required, DataType(DataType.Password), MaxLength(128)]
    public string Password { get; set; } = "";

    public string? ReturnUrl { get; set; }
}
