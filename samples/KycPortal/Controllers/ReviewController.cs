using System.Globalization;
using KycPortal.Data;
using KycPortal.Models;
using KycPortal.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KycPortal.Controllers;

/// <summary>The reviewer's side: the queue of pending submissions, one submission with its audit trail, the decision.</summary>
[Authorize(Roles = Roles.Reviewer)]
public sealed class ReviewController(SubmissionStore store, TimeProvider time) : Controller
{
    public async Task<IActionResult> Index() => View(new ReviewIndexViewModel(await store.PendingAsync()));

    public async Task<IActionResult> Details(int id)
    {
        var submission = await store.FindAsync(id);
        return submission is null ? NotFound() : View(await DetailsModelAsync(submission, new DecisionViewModel()));
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

    private async Task<ReviewDetailsViewModel> DetailsModelAsync(KycSubmission submission, DecisionViewModel decision)
    {
        var watermark = string.Create(
            CultureInfo.InvariantCulture,
            $"KYC review {User.Identity!.Name} {time.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
        return new ReviewDetailsViewModel(submission, await store.AuditAsync(submission.Id), watermark, decision);
    }
}
