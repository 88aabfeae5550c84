using KycPortal.Data;
using KycPortal.Infrastructure;
using KycPortal.Models;
using KycPortal.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace KycPortal.Controllers;

/// <summary>The applicant's side: see the submission and its status, upload the three images.</summary>
[Authorize(Roles = Roles.Applicant)]
public sealed class KycController(SubmissionStore store, ImageUploadProcessor processor, UserManager<IdentityUser> users) : Controller
{
    // Three files of at most 10 MB each, plus the form's own bytes. Anything larger is cut off by the
    // server before it reaches the action; a single file over 10 MB reaches it and gets its message.
    private const long MaxRequestBytes = (3 * ImageUploadProcessor.MaxBytes) + (2 * 1024 * 1024);

    // Model binding matches field names case-insensitively; so does this check.
    private static readonly HashSet<string> FileFields = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(SubmitViewModel.IdFront), nameof(SubmitViewModel.IdBack), nameof(SubmitViewModel.Selfie),
    };

    /// <summary>The stamp on the applicant's own copies: marked as a copy, naming the viewer and the link.</summary>
    public const string ApplicantStamp = "Applicant copy \u00b7 {user} \u00b7 link {link}";

    public const string UnexpectedFilesMessage = "Send one image for each of the three fields, and nothing else.";

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
    [EnableRateLimiting(RateLimitSettings.UploadPolicy)]
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

        // The whole form is judged before any file costs a decode: which files came, then every file's size,
        // signature and header. A form with a bad file decodes nothing, and every bad file gets its own message.
        if (!HasOnlyTheExpectedFiles(Request.Form.Files))
        {
            ModelState.AddModelError(string.Empty, UnexpectedFilesMessage);
            return View(model);
        }

        var checks = new[]
        {
            (Field: nameof(SubmitViewModel.IdFront), Check: await processor.CheckAsync(model.IdFront, cancellationToken)),
            (Field: nameof(SubmitViewModel.IdBack), Check: await processor.CheckAsync(model.IdBack, cancellationToken)),
            (Field: nameof(SubmitViewModel.Selfie), Check: await processor.CheckAsync(model.Selfie, cancellationToken)),
        };
        foreach (var (field, check) in checks.Where(c => c.Check.Error is not null))
        {
            ModelState.AddModelError(field, check.Error!);
        }

        if (!ModelState.IsValid)
        {
            return View(model);
        }

        var images = new ProcessedImage?[checks.Length];
        for (var i = 0; i < checks.Length; i++)
        {
            var result = await processor.ReencodeAsync(checks[i].Check.Upload!, cancellationToken);
            if (result.Error is not null)
            {
                ModelState.AddModelError(checks[i].Field, result.Error);
            }

            images[i] = result.Image;
        }

        if (!ModelState.IsValid)
        {
            return View(model);
        }

        await store.CreateAsync(user, new ProcessedImages(images[0]!, images[1]!, images[2]!), cancellationToken);
        return RedirectToAction(nameof(Index));
    }

    /// <summary>At most one file for each of the three fields, and no file under any other name.</summary>
    private static bool HasOnlyTheExpectedFiles(IFormFileCollection files) =>
        files.Count <= FileFields.Count
        && files.All(f => FileFields.Contains(f.Name))
        && files.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() == files.Count;

    /// <summary>A new submission only when there is none yet or the last one was rejected.</summary>
    private static bool CanSubmit(KycSubmission? latest) => latest is null || latest.Status == KycStatus.Rejected;
}
