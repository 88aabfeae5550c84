using KycPortal.Data;
using KycPortal.Models;
using KycPortal.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KycPortal.Controllers;

/// <summary>The reviewer's side: the queue of pending submissions, one submission with its audit trail, each document at full size, the decision.</summary>
[Authorize(Roles = Roles.Reviewer)]
public sealed class ReviewController(SubmissionStore store, SupportLinks supportLinks, LinkWithdrawal withdrawal) : Controller
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

    /// <summary>
    /// Replaces the regions masked in support's view of this submission (a plain form: rows of four fractions per
    /// side, an empty row ignored). Every row must be a whole rectangle inside the image; one bad row stores nothing.
    /// The "support" profile's regions are applied whatever is stored here: a reviewer adds masks, never removes them.
    /// </summary>
    [HttpPost]
    public async Task<IActionResult> Regions(int id, [Bind(Prefix = "Regions")] List<RegionFormRow>? rows)
    {
        var submission = await store.FindAsync(id);
        if (submission is null)
        {
            return NotFound();
        }

        rows ??= [];
        var errors = ModelState.Where(e => e.Key.StartsWith("Regions", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Value!.Errors.Select(x => $"{e.Key}: {x.ErrorMessage}")).ToList();
        var areas = new List<RedactionArea>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.IsEmpty)
            {
                continue;
            }

            if (RegionError(row) is { } error)
            {
                errors.Add($"Row {i + 1}: {error}");
                continue;
            }

            areas.Add(new RedactionArea { SubmissionId = id, Side = row.Side!, X = row.X!.Value, Y = row.Y!.Value, Width = row.Width!.Value, Height = row.Height!.Value });
        }

        foreach (var side in SupportLinks.Sides.Where(side => areas.Count(a => a.Side == side) > SupportLinks.MaxRegionsPerSide))
        {
            errors.Add($"At most {SupportLinks.MaxRegionsPerSide} regions on the {side}.");
        }

        if (errors.Count > 0)
        {
            return View(nameof(Details), await DetailsModelAsync(submission, new DecisionViewModel(), rows, errors));
        }

        await store.ReplaceRedactionAreasAsync(id, areas);
        return RedirectToAction(nameof(Details), new { id });
    }

    /// <summary>
    /// Revokes every link issued until now to any file of the submission, in both folders (its images and its
    /// contract, whoever they were minted for): each answers 410 "Link revoked". Links minted afterwards work, so
    /// this page, reloaded, shows the documents again through new links.
    /// </summary>
    [HttpPost]
    public async Task<IActionResult> Revoke(int id, CancellationToken cancellationToken)
    {
        var submission = await store.FindAsync(id);
        if (submission is null)
        {
            return NotFound();
        }

        await withdrawal.RevokeSubmissionAsync(submission, User.Identity!.Name!, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return RedirectToAction(nameof(Details), new { id });
    }

    private static string? RegionError(RegionFormRow row)
    {
        if (row.Side is null || !SupportLinks.Sides.Contains(row.Side, StringComparer.Ordinal))
        {
            return "choose the front or the back.";
        }

        if (row.X is not { } x || row.Y is not { } y || row.Width is not { } width || row.Height is not { } height)
        {
            return "fill in all four numbers, or none.";
        }

        // Fractions of the image; a little slack for decimals typed as 0.333 + 0.667.
        const double slack = 1e-9;
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > 1 + slack || y + height > 1 + slack)
        {
            return "the rectangle must lie inside the image: X and Y from 0, width and height above 0, X + width and Y + height at most 1.";
        }

        return null;
    }

    private async Task<ReviewDetailsViewModel> DetailsModelAsync(
        KycSubmission submission, DecisionViewModel decision, IReadOnlyList<RegionFormRow>? postedRegions = null, IReadOnlyList<string>? regionErrors = null)
    {
        var areas = await store.RedactionAreasAsync(submission.Id);
        return new(submission, await store.ViewsAsync(submission.Id), await store.RefusalsAsync(submission.Id), ReviewStamp, decision)
        {
            Regions = postedRegions ?? RegionRows(areas),
            RegionErrors = regionErrors ?? [],
            SupportPreview = supportLinks.For(Url, submission, areas),
            Revocations = await store.RevocationsAsync(submission.Id),
        };
    }

    /// <summary>The stored regions as form rows, then empty rows up to the limit, per side.</summary>
    private static List<RegionFormRow> RegionRows(IReadOnlyList<RedactionArea> areas)
    {
        var rows = new List<RegionFormRow>();
        foreach (var side in SupportLinks.Sides)
        {
            var stored = areas.Where(a => a.Side == side).ToList();
            rows.AddRange(stored.Select(a => new RegionFormRow { Side = side, X = a.X, Y = a.Y, Width = a.Width, Height = a.Height }));
            rows.AddRange(Enumerable.Range(0, Math.Max(0, SupportLinks.MaxRegionsPerSide - stored.Count)).Select(_ => new RegionFormRow { Side = side }));
        }

        return rows;
    }
}
