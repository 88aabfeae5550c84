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

        return await users.IsInRoleAsync(user, Roles.Reviewer)
            ? RedirectToAction("Index", "Review")
            : RedirectToAction("Index", "Kyc");
    }

    /// <summary>Ends the session: its ticket is deleted server-side, so a copy of the cookie stops working at once.</summary>
    [HttpPost]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return RedirectToAction("Index", "Home");
    }

    [HttpGet, AllowAnonymous]
    public IActionResult AccessDenied() => View();

    private ViewResult Failed(LoginViewModel model)
    {
        // One message for every failure: no hint whether the account exists.
        ModelState.AddModelError(string.Empty, FailedMessage);
        model.Password = "";
        return View(model);
    }
}
