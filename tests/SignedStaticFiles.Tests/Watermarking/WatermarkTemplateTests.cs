
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
        Assert.Equal(WatermarkTemplate.MaxLength, text.Length);
        Assert.DoesNotContain('\n', WatermarkTemplate.Expand("{user}", "a\nb", Now, "l"));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("ok", true)]
    [InlineData("tab\there", false)]
    [InlineData("{utc:%}", false)]
    [InlineData("Łódź · {utc:yyyy}", true)]
    public void Validate_AcceptsOnlyDrawableTemplates(string text, bool valid) =>
        Assert.Equal(valid, WatermarkTemplate.Validate(text) is null);
}
