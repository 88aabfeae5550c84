using KycPortal.Data;
using KycPortal.Models;
using KycPortal.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KycPortal.Controllers;

/// <summary>The reviewer's side: the queue of pending submissions, one submission with its audit trail, each document at full size, the decision.</summary>
[Authorize(Roles = Roles.Reviewer)]
public sealed class ReviewController(SubmissionStore store) : Controller
{
    /// <summary>
    /// The stamp on every image a reviewer is shown, expanded by the package when the image is served: who looked
    /// (their display name), when, and through which link, so a leaked screenshot names the link it came from.
    /// </summary>
    public const string ReviewStamp = "KYC review \u00b7 {user} \u00b7 {utc:yyyy-MM-dd HH:mm} UTC \u00b7 link {link}";

    public async Task<IActionResult> Index() => View(new ReviewIndexViewModel(await store.PendingAsync()));

    public async Task<IActionResult> Details(int id)
    {
        var submission = await store.FindAsync(id);
        return submission is null ? NotFound() : View(await DetailsModelAsync(submission, new DecisionViewModel()));
    }

    /// <summary>
    /// One document at its full size, stamped like the thumbnails: at thumbnail size the stamp is a texture and
    /// the document's small print unreadable. A plain page (no script); the browser scrolls a large image.
    /// </summary>
    [HttpGet("Review/Document/{id:int}/{side}")]
    public async Task<IActionResult> Document(int id, string side)
    {
        var submission = await store.FindAsync(id);
        if (submission is null || !ReviewDocumentViewModel.Sides.Contains(side, StringComparer.Ordinal))
        {
            return NotFound();
        }

        return View(new ReviewDocumentViewModel(submission, side, ReviewStamp));
    }

    [HttpPost]
    public async Task<IActionResult> Decide(int id, [Bind(Prefix = "Decision")] DecisionViewModel form)
    {
        var submission = await store.FindAsync(id);
        if (submission is null)
        {
            return NotFound();
        }

        if (submission.Status != KycStatus.Pending)
        {
            ModelState.AddModelError(string.Empty, "This submission has already been decided.");
        }

        if (form.Verdict == DecisionViewModel.Reject && string.IsNullOrWhiteSpace(form.Reason))
        {
            ModelState.AddModelError("Decision.Reason", "Give the applicant a reason for the rejection.");
        }

        if (!ModelState.IsValid)
        {
            return View(nameof(Details), await DetailsModelAsync(submission, form));
        }

        await store.DecideAsync(submission, form.Verdict == DecisionViewModel.Approve, form.Reason, User.Identity!.Name!);
        return RedirectToAction(nameof(Index));
    }

    private async Task<ReviewDetailsViewModel> DetailsModelAsync(KycSubmission submission, DecisionViewModel decision) =>
        new(submission, await store.ViewsAsync(submission.Id), await store.RefusalsAsync(submission.Id), ReviewStamp, decision);
}
