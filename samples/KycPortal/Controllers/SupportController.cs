using KycPortal.Data;
using KycPortal.Infrastructure;
using KycPortal.Models;
using KycPortal.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using SignedStaticFiles;

namespace KycPortal.Controllers;

/// <summary>
/// Support staff: every submission's status, and its ID card with the document number and MRZ masked. The
/// controller mints every link of these pages itself, each naming the "support" redaction profile: there is no
/// page a support account can open that mints an unredacted link (the reviewer's pages answer 403 to it).
/// </summary>
[Authorize(Roles = Roles.Support)]
public sealed class SupportController(SubmissionStore store, ProtectedPaths paths) : Controller
{
    /// <summary>The stamp on support's copies: who looked, when, through which link.</summary>
    public const string SupportStamp = "KYC support \u00b7 {user} \u00b7 {utc:yyyy-MM-dd HH:mm} UTC \u00b7 link {link}";

    /// <summary>Support sees the card's two sides; the selfie (a face) is not needed to answer an applicant.</summary>
    public static readonly IReadOnlyList<string> Sides = ["front", "back"];

    private static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(2);

    public async Task<IActionResult> Index() => View(await store.AllAsync());

    public async Task<IActionResult> Details(int id)
    {
        var submission = await store.FindAsync(id);
        if (submission is null)
        {
            return NotFound();
        }

        var images = new List<SupportImage>();
        foreach (var side in Sides)
        {
            var url = Url.SignedContent(paths.Link(ReviewDocumentViewModel.PathOf(submission, side)), new SignedUrlOptions
            {
                Lifetime = LinkLifetime,
                WatermarkText = SupportStamp,
                Redaction = RedactionProfiles.Support,
            });
            images.Add(new SupportImage(ReviewDocumentViewModel.TitleOf(side), url));
        }

        return View(new SupportDetailsViewModel(submission, images));
    }
}
