using KycPortal.Data;
using KycPortal.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KycPortal.Controllers;

/// <summary>Sign-in and sign-out with ASP.NET Core Identity (cookie). Every POST is antiforgery-checked (global filter).</summary>
public sealed class AccountController(SignInManager<IdentityUser> signIn, UserManager<IdentityUser> users) : Controller
{
    [HttpGet, AllowAnonymous]
    public IActionResult Login(string? returnUrl = null) => View(new LoginViewModel { ReturnUrl = returnUrl });

    [HttpPost, AllowAnonymous]
    public async Task<IActionResult> Login(LoginViewModel model)
    {
        if (!ModelState.IsValid)
        {
            return View(model);
        }

        var result = await signIn.PasswordSignInAsync(model.Email, model.Password, isPersistent: false, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            // One message for every failure: no hint whether the account exists.
            ModelState.AddModelError(string.Empty, result.IsLockedOut
                ? "Too many failed attempts. Try again in a few minutes."
                : "Invalid e-mail or password.");
            model.Password = "";
            return View(model);
        }

        if (!string.IsNullOrEmpty(model.ReturnUrl) && Url.IsLocalUrl(model.ReturnUrl))
        {
            return LocalRedirect(model.ReturnUrl);
        }

        var user = await users.FindByEmailAsync(model.Email);
        return user is not null && await users.IsInRoleAsync(user, Roles.Reviewer)
            ? RedirectToAction("Index", "Review")
            : RedirectToAction("Index", "Kyc");
    }

    [HttpPost]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return RedirectToAction("Index", "Home");
    }

    [HttpGet, AllowAnonymous]
    public IActionResult AccessDenied() => View();
}
