using KycPortal.Data;
using KycPortal.Specimens;
using KycPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace KycPortal.Tests;

/// <summary>
/// A reviewer adds redaction regions per submission through a plain form (no script); they are kept in SQLite
/// and sealed into each of support's links (<c>RedactionRegions</c>), on top of the "support" profile.
/// </summary>
public sealed class RedactionRegionTests
{
    private static readonly (double X, double Y, double Width, double Height) NameArea = (0.36, 0.22, 0.30, 0.10);

    [Fact]
    public async Task ReviewerRegion_IsMaskedInSupportsView_OfThatSideOnly_OnTopOfTheProfile()
    {
        await using var app = new KycPortalFactory();
        var id = await SupportTests.SeededIdAsync(app);
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);

        var details = await Pages.GetDocumentAsync(reviewer, $"/Review/Details/{id}");
        Assert.NotNull(details.QuerySelector("form#regions"));
        using (var saved = await PostRegionsAsync(reviewer, details, id, ("front", NameArea)))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, saved.StatusCode);
        }

        var stored = await app.WithDbAsync(db => db.RedactionAreas.Where(a => a.SubmissionId == id).ToListAsync());
        var area = Assert.Single(stored);
        Assert.Equal(("front", NameArea.X, NameArea.Y, NameArea.Width, NameArea.Height), (area.Side, area.X, area.Y, area.Width, area.Height));

        // The form shows what is stored.
        var again = await Pages.GetDocumentAsync(reviewer, $"/Review/Details/{id}");
        Assert.Equal("0.36", again.QuerySelector("input[name='Regions[0].X']")!.GetAttribute("value"));

        using var support = await app.SignedInClientAsync(DatabaseSetup.SupportEmail);
        var supportUrls = Pages.DocumentImageUrls(await Pages.GetDocumentAsync(support, $"/Support/Details/{id}"));
        var reviewerUrls = Pages.DocumentImageUrls(again);
        using (var redacted = Image.Load<Rgb24>(await KycFlowTests.AssertIsImageAsync(support, supportUrls[0])))
        using (var full = Image.Load<Rgb24>(await KycFlowTests.AssertIsImageAsync(reviewer, reviewerUrls[0])))
        {
            SupportTests.AssertRedacted(full, redacted, [SpecimenCard.DocumentNumberRegion, SpecimenCard.MrzRegion, NameArea], []);
        }

        using (var redacted = Image.Load<Rgb24>(await KycFlowTests.AssertIsImageAsync(support, supportUrls[1])))
        using (var full = Image.Load<Rgb24>(await KycFlowTests.AssertIsImageAsync(reviewer, reviewerUrls[1])))
        {
            SupportTests.AssertRedacted(full, redacted, [SpecimenCard.DocumentNumberRegion, SpecimenCard.MrzRegion], [NameArea]);
        }
    }

    [Theory]
    [InlineData("0.8", "0.1", "0.3", "0.1")]     // reaches past the right edge
    [InlineData("0.1", "0.1", "0", "0.1")]       // no width
    [InlineData("-0.1", "0.1", "0.2", "0.1")]    // left of the image
    [InlineData("0.1", "", "0.2", "0.1")]        // a row half filled in
    [InlineData("0.1", "abc", "0.2", "0.1")]     // not a number
    public async Task InvalidRegion_GetsAMessage_AndNothingIsStored(string x, string y, string width, string height)
    {
        await using var app = new KycPortalFactory();
        var id = await SupportTests.SeededIdAsync(app);
        using var reviewer = await app.SignedInClientAsync(DatabaseSetup.ReviewerEmail);
        var details = await Pages.GetDocumentAsync(reviewer, $"/Review/Details/{id}");

        using var response = await reviewer.PostAsync($"/Review/Regions/{id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Pages.AntiforgeryToken(details, "form#regions"),
            ["Regions[0].Side"] = "front",
            ["Regions[0].X"] = x,
            ["Regions[0].Y"] = y,
            ["Regions[0].Width"] = width,
            ["Regions[0].Height"] = height,
        }));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var page = await Pages.ParseAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("form#regions .form-errors")?.TextContent));
        Assert.Equal(0, await app.WithDbAsync(db => db.RedactionAreas.CountAsync()));
    }

    internal static async Task<HttpResponseMessage> PostRegionsAsync(
        HttpClient reviewer, AngleSharp.Dom.IDocument details, int id, params (string Side, (double X, double Y, double Width, double Height) Area)[] regions)
    {
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = Pages.AntiforgeryToken(details, "form#regions") };
        for (var i = 0; i < regions.Length; i++)
        {
            var (side, r) = regions[i];
            form[$"Regions[{i}].Side"] = side;
            form[$"Regions[{i}].X"] = r.X.ToString(System.Globalization.CultureInfo.InvariantCulture);
            form[$"Regions[{i}].Y"] = r.Y.ToString(System.Globalization.CultureInfo.InvariantCulture);
            form[$"Regions[{i}].Width"] = r.Width.ToString(System.Globalization.CultureInfo.InvariantCulture);
            form[$"Regions[{i}].Height"] = r.Height.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await reviewer.PostAsync($"/Review/Regions/{id}", new FormUrlEncodedContent(form));
    }
}
