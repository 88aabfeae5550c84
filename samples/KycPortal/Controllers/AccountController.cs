using KycPortal.Data;
using KycPortal.Infrastructure;
using KycPortal.Models;
using KycPortal.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace KycPortal.Controllers;

/// <summary>
/// Sign-in and sign-out with ASP.NET Core Identity (cookie, its ticket kept server-side: see
/// <see cref="DatabaseTicketStore"/>). Every POST is antiforgery-checked (global filter). A failed sign-in
/// answers the same page, with the same message and after the same work, whether or not the account
/// exists; repeated attempts are throttled per client address, and no account is ever locked.
/// </summary>
public sealed class AccountController(
    SignInManager<IdentityUser> signIn,
    UserManager<IdentityUser> users,
    UnknownAccountPasswordCheck unknownAccount) : Controller
{
    public const string FailedMessage = "Invalid e-mail or password.";

    [HttpGet, AllowAnonymous]
    public IActionResult Login(string? returnUrl = null) => View(new LoginViewModel { ReturnUrl = returnUrl });

    [HttpPost, AllowAnonymous]
    [EnableRateLimiting(RateLimitSettings.SignInPolicy)]
    public async Task<IActionResult> Login(LoginViewModel model)
    {
        if (!ModelState.IsValid)
        {
            return View(model);
        }

        var user = await users.FindByEmailAsync(model.Email);
        if (user is null)
        {
            unknownAccount.Verify(users.PasswordHasher, model.Password);
            return Failed(model);
        }

        // No lockout: anyone who knows a reviewer's e-mail could otherwise lock them out on purpose, and the
        // lockout's own message would say the account exists. Guessing is slowed by the per-client limit.
        var result = await signIn.PasswordSignInAsync(user, model.Password, isPersistent: false, lockoutOnFailure: false);
        if (!result.Succeeded)
        {
            return Failed(model);
        }

        if (!string.IsNullOrEmpty(model.ReturnUrl) && Url.IsLocalUrl(model.ReturnUrl))
        {
            return LocalRedirect(model.ReturnUrl);
        }

        if (await users.IsInRoleAsync(user, Roles.Reviewer))
        {
            return RedirectToAction("Index", "Review");
        }

        return await users.IsInRoleAsync(user, Roles.Support)
            ? RedirectToAction("Index", "Support")
            : RedirectToAction("Index", "Kyc");
    }

    /// <summary>Ends the session: its ticket is deleted server-side, so a copy of the cookie stops working at once.</summary>
    [HttpPost]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return RedirectToAction("Index", "Home");
    }

    public const string CloseFailedMessage = "The password is not right; the account stays open.";

    /// <summary>The applicant's "close my account" page: what closing does, and a password to confirm it.</summary>
    [HttpGet, Authorize(Roles = Roles.Applicant)]
    public IActionResult Close() => View();

    /// <summary>
    /// Closes the applicant's account once the password confirms it: every link revoked, every session ended,
    /// every file and submission deleted, the account deleted (<see cref="LinkWithdrawal.CloseAccountAsync"/>).
    /// </summary>
    [HttpPost, Authorize(Roles = Roles.Applicant)]
    public async Task<IActionResult> Close(string? password, [FromServices] LinkWithdrawal withdrawal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(withdrawal);
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (string.IsNullOrEmpty(password) || !await users.CheckPasswordAsync(user, password))
        {
            ModelState.AddModelError(string.Empty, CloseFailedMessage);
            return View();
        }

        await withdrawal.CloseAccountAsync(user, users, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        await signIn.SignOutAsync();
        return RedirectToAction("Index", "Home");
    }

    /// <summary>Where a signed-in user lands when a page is not for their role: the page answers 403, not 200.</summary>
    [HttpGet, AllowAnonymous]
    public IActionResult AccessDenied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    private ViewResult Failed(LoginViewModel model)
    {
        // One message for every failure: no hint whether the account exists.
        ModelState.AddModelError(string.Empty, FailedMessage);
        model.Password = "";
        return View(model);
    }
}
