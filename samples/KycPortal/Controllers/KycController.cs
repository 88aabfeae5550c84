using KycPortal.Data;
using KycPortal.Models;
using KycPortal.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KycPortal.Controllers;

/// <summary>The applicant's side: see the submission and its status, upload the three images.</summary>
[Authorize(Roles = Roles.Applicant)]
public sealed class KycController(SubmissionStore store, ImageUploadProcessor processor, UserManager<IdentityUser> users) : Controller
{
    // Three files of at most 10 MB each, plus the form's own bytes. Anything larger is cut off by the
    // server before it reaches the action; a single file over 10 MB reaches it and gets its message.
    private const long MaxRequestBytes = (3 * ImageUploadProcessor.MaxBytes) + (2 * 1024 * 1024);

    public async Task<IActionResult> Index()
    {
        var submission = await store.LatestForApplicantAsync(users.GetUserId(User)!);
        return View(new KycIndexViewModel(submission, CanSubmit(submission)));
    }

    [HttpGet]
    public async Task<IActionResult> Submit()
    {
        var submission = await store.LatestForApplicantAsync(users.GetUserId(User)!);
        return CanSubmit(submission) ? View(new SubmitViewModel()) : RedirectToAction(nameof(Index));
    }

    [HttpPost]
    [RequestSizeLimit(MaxRequestBytes)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
    public async Task<IActionResult> Submit(SubmitViewModel model, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!CanSubmit(await store.LatestForApplicantAsync(user.Id)))
        {
            return RedirectToAction(nameof(Index));
        }

        // Each file is checked on its own so that every bad one gets its own message; nothing is written
        // unless all three pass.
        var front = await CheckAsync(nameof(SubmitViewModel.IdFront), model.IdFront, cancellationToken);
        var back = await CheckAsync(nameof(SubmitViewModel.IdBack), model.IdBack, cancellationToken);
        var selfie = await CheckAsync(nameof(SubmitViewModel.Selfie), model.Selfie, cancellationToken);
        if (front is null || back is null || selfie is null || !ModelState.IsValid)
        {
            return View(model);
        }

        await store.CreateAsync(user, new ProcessedImages(front, back, selfie), cancellationToken);
        return RedirectToAction(nameof(Index));
    }

    private async Task<ProcessedImage?> CheckAsync(string field, IFormFile? file, CancellationToken cancellationToken)
    {
        var result = await processor.ProcessAsync(file, cancellationToken);
        if (result.Error is not null)
        {
            ModelState.AddModelError(field, result.Error);
        }

        return result.Image;
    }

    /// <summary>A new submission only when there is none yet or the last one was rejected.</summary>
    private static bool CanSubmit(KycSubmission? latest) => latest is null || latest.Status == KycStatus.Rejected;
}
