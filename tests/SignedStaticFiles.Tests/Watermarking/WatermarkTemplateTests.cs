
using SignedStaticFiles.Watermarking;

namespace SignedStaticFiles.Tests.Watermarking;

public sealed class WatermarkTemplateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 3, 14, 15, TimeSpan.Zero);

    [Theory]
    [InlineData("{user}", "alice")]
    [InlineData("{link}", "L1nk1d")]
    [InlineData("{utc}", "2026-11-29 03:14")]
    [InlineData("{utc:yyyy-MM-dd'T'HH:mm:ss}", "2026-11-29T03:14:15")]
    [InlineData("seen by {user} at {utc:HH:mm} ({link})", "seen by alice at 03:14 (L1nk1d)")]
    [InlineData("{unknown} {user", "{unknown} {user")]
    [InlineData("no placeholders", "no placeholders")]
    public void Expand_ReplacesThePlaceholders(string template, string expected) =>
        Assert.Equal(expected, WatermarkTemplate.Expand(template, "alice", Now, "L1nk1d"));

    [Fact]
    public void Expand_BoundsTheLength_AndNeutralisesControlCharactersFromTheUser()
    {
        var text = WatermarkTemplate.Expand("{user}", new string('u', 500) + "\n", Now, "l");
        Assert.True(text.Length <= WatermarkTemplate.MaxLength, $"{text.Length} characters");
        Assert.EndsWith("\u2026", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', WatermarkTemplate.Expand("{user}", "a\nb", Now, "l"));
    }

    [Fact]
    public void Expand_TooLong_ShortensTheUser_NeverTheTimeOrTheLink()
    {
        // v1 cut the end of the expansion: a long display name pushed the time and the link id out of the stamp.
        const string link = "Qx7-kYc_0123456789abcd";
        var text = WatermarkTemplate.Expand("CONFIDENTIAL · {user} · {utc:yyyy-MM-dd HH:mm} UTC · {link}", new string('N', 400), Now, link);
        Assert.True(text.Length <= WatermarkTemplate.MaxLength, $"{text.Length} characters");
        Assert.EndsWith("· 2026-11-29 03:14 UTC · " + link, text, StringComparison.Ordinal);
        Assert.StartsWith("CONFIDENTIAL · NNNN", text, StringComparison.Ordinal);
        Assert.Contains("N\u2026 ·", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_ShortensBetweenTextElements_NeverSplittingASurrogatePair()
    {
        var text = WatermarkTemplate.Expand("{user} {link}", string.Concat(Enumerable.Repeat("\U0001F600", 150)), Now, "L");
        Assert.True(text.Length <= WatermarkTemplate.MaxLength);
        Assert.All(text.EnumerateRunes(), r => Assert.NotEqual(System.Text.Rune.ReplacementChar, r));
        Assert.EndsWith("\u2026 L", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u00AD")]                    // soft hyphen
    [InlineData("\u200B\u200C\u200D")]        // zero-width space and joiners
    [InlineData("\u2060\uFEFF")]              // word joiner, BOM
    [InlineData(" \u00AD \u00A0 ")]           // blanks around a soft hyphen
    [InlineData("\u3164\u115F")]              // Hangul fillers
    [InlineData("\u2800")]                    // Braille blank
    [InlineData("\u202E\u202D")]              // bidi overrides
    [InlineData("\uFE0F\u0301")]              // a variation selector, a lone combining accent
    [InlineData("\U000E0041\U000E0042")]      // tag characters
    public void Validate_RefusesTextsWithNoVisibleInk(string text)
    {
        var problem = WatermarkTemplate.Validate(text);
        Assert.NotNull(problem);
        Assert.False(WatermarkTemplate.HasVisibleInk(text));
    }

    [Theory]
    [InlineData("{user}")]
    [InlineData("\u00AD{link}")]
    [InlineData("\u200B.")]
    [InlineData("王")]
    [InlineData("محمد")]
    public void Validate_AcceptsTextsWithInk(string text) => Assert.Null(WatermarkTemplate.Validate(text));

    [Fact]
    public void Validate_RefusesTemplatesWhoseTimeAndLinkAloneAreTooLong()
    {
        var template = string.Concat(Enumerable.Repeat("{link}", 30));
        Assert.True(template.Length <= WatermarkTemplate.MaxLength);
        Assert.NotNull(WatermarkTemplate.Validate(template));
    }

    [Theory]
    [InlineData("Олена Коваленко", "u-1", "Олена Коваленко")]
    [InlineData(null, "u-1", "u-1")]
    [InlineData("\u200B\u00AD", "u-1", "u-1")]      // a name without ink does not blank the "who"
    [InlineData(null, null, "anonymous")]
    public void UserLabel_IsTheDisplayName_ElseTheUserId(string? displayName, string? userId, string expected) =>
        Assert.Equal(expected, WatermarkTemplate.UserLabel(displayName, userId));

    [Theory]
    [InlineData("", false)]
    [InlineData("ok", true)]
    [InlineData("tab\there", false)]
    [InlineData("{utc:%}", false)]
    [InlineData("Łódź · {utc:yyyy}", true)]
    public void Validate_AcceptsOnlyDrawableTemplates(string text, bool valid) =>
        Assert.Equal(valid, WatermarkTemplate.Validate(text) is null);
}
