using KycPortal.Data;
using KycPortal.Models;
using KycPortal.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KycPortal.Controllers;

/// <summary>
/// Support staff: every submission's status, and its ID card with the document number and MRZ masked. The
/// controller mints every link of these pages itself, each naming the "support" redaction profile: there is no
/// page a support account can open that mints an unredacted link (the reviewer's pages answer 403 to it).
/// </summary>
[Authorize(Roles = Roles.Support)]
public sealed class SupportController(SubmissionStore store, SupportLinks links) : Controller
{
    /// <summary>The stamp on support's copies: who looked, when, through which link.</summary>
    public const string SupportStamp = "KYC support \u00b7 {user} \u00b7 {utc:yyyy-MM-dd HH:mm} UTC \u00b7 link {link}";

    public async Task<IActionResult> Index() => View(await store.AllAsync());

    public async Task<IActionResult> Details(int id)
    {
        var submission = await store.FindAsync(id);
        if (submission is null)
        {
            return NotFound();
        }

        var images = links.For(Url, submission, await store.RedactionAreasAsync(id));
        return View(new SupportDetailsViewModel(submission, images));
    }
}
