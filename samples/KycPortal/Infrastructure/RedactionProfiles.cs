using KycPortal.Specimens;
using SignedStaticFiles;

namespace KycPortal.Infrastructure;

/// <summary>
/// The documents folder's named redaction profiles (<c>SignedStaticFilesOptions.Redactions</c>, Program.cs).
/// A link names its profile; the profile's regions are the folder's, so a page cannot weaken them.
/// </summary>
public static class RedactionProfiles
{
    /// <summary>
    /// What support staff see of an ID card: the document number and the machine-readable zone are opaque black
    /// boxes (<see cref="RedactionStyle.Fill"/>, the only style safe for text: a blurred number in a known font can
    /// be recovered). The regions are where the card layout of <see cref="SpecimenCard"/> prints them; a reviewer
    /// adds regions per submission for cards laid out otherwise, and those come on top of these, never instead.
    /// </summary>
    public const string Support = "support";

    /// <summary>The regions of <see cref="Support"/>, in fractions of the upright image.</summary>
    public static IList<RedactionRegion> SupportRegions() =>
    [
        ToRegion(SpecimenCard.DocumentNumberRegion),
        ToRegion(SpecimenCard.MrzRegion),
    ];

    private static RedactionRegion ToRegion((double X, double Y, double Width, double Height) r) =>
        new(r.X, r.Y, r.Width, r.Height, RedactionStyle.Fill);
}
