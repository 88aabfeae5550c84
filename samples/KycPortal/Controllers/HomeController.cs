using System.Diagnostics;
using KycPortal.Data;
using KycPortal.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KycPortal.Controllers;

[AllowAnonymous]
public sealed class HomeController : Controller
{
    public IActionResult Index()
    {
        if (User.IsInRole(Roles.Reviewer))
        {
            return RedirectToAction("Index", "Review");
        }

        if (User.IsInRole(Roles.Support))
        {
            return RedirectToAction("Index", "Support");
        }

        if (User.IsInRole(Roles.Applicant))
        {
            return RedirectToAction("Index", "Kyc");
        }

        return View();
    }

    [ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
    public IActionResult Error() => View(new ErrorViewModel(Activity.Current?.Id ?? HttpContext.TraceIdentifier));
}
