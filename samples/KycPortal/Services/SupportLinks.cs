using KycPortal.Controllers;
using KycPortal.Data;
using KycPortal.Infrastructure;
using KycPortal.Models;
using Microsoft.AspNetCore.Mvc;
using SignedStaticFiles;

namespace KycPortal.Services;

/// <summary>
/// Mints the links of support's view of an ID card: the "support" profile named in every token, the reviewer's
/// regions for that side sealed in as well, two minutes, bound to the user of the request. The one place that
/// decides what support is shown, used by support's page and by the reviewer's preview of it.
/// </summary>
public sealed class SupportLinks(ProtectedPaths paths)
{
    /// <summary>Support sees the card's two sides; the selfie (a face) is not needed to answer an applicant.</summary>
    public static readonly IReadOnlyList<string> Sides = ["front", "back"];

    /// <summary>At most this many regions per side (the package seals at most 16 per link).</summary>
    public const int MaxRegionsPerSide = 4;

    private static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(2);

    public IReadOnlyList<SupportImage> For(IUrlHelper url, KycSubmission submission, IReadOnlyList<RedactionArea> areas)
    {
        ArgumentNullException.ThrowIfNull(url);
        var images = new List<SupportImage>();
        foreach (var side in Sides)
        {
            var regions = areas.Where(a => a.Side == side).Select(a => new RedactionRegion(a.X, a.Y, a.Width, a.Height, RedactionStyle.Fill)).ToList();
            var link = url.SignedContent(paths.Link(ReviewDocumentViewModel.PathOf(submission, side)), new SignedUrlOptions
            {
                Lifetime = LinkLifetime,
                WatermarkText = SupportController.SupportStamp,
                Redaction = RedactionProfiles.Support,
                RedactionRegions = regions.Count == 0 ? null : regions,
            });
            images.Add(new SupportImage(ReviewDocumentViewModel.TitleOf(side), link));
        }

        return images;
    }
}
