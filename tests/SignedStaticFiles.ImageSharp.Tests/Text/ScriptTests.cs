using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.ImageSharp.Text;

namespace SignedStaticFiles.ImageSharp.Tests.Text;

/// <summary>
/// The stamp speaks every script a reviewer's name may be written in: each is drawn with real glyphs (not
/// replacement boxes), distinct strings give distinct stamps, Arabic is shaped and right-to-left scripts run
/// right to left. Needs the Debian fonts test.sh installs (fonts-noto-core, fonts-noto-cjk).
/// </summary>
public sealed class ScriptTests
{
    private const int LineHeight = 48;

    // Each script with two different names of the same length (in UTF-16 code units and text elements).
    public static TheoryData<string, string, string> Scripts() => new()
    {
        { "Latin", "Łukasz Żółć", "Jörg Müller" },
        { "Greek", "Ελένη Παππά", "Νίκος Ρήγας" },
        { "Cyrillic", "Олена Коваленко", "Дмитро Шевченко" },
        { "Arabic", "محمد علي", "سارة نور" },
        { "Hebrew", "דוד כהן", "שרה לוי" },
        { "Devanagari", "अर्जुन शर्मा", "प्रिया वर्मा" },
        { "Thai", "สมชาย ใจดี", "สุดา ใจงาม" },
        { "Chinese", "王伟", "李娜" },
        { "Japanese", "山田さくら", "佐藤はなこ" },
        { "Korean", "김민준", "이서연" },
    };

    private static SkiaStampTextRenderer Renderer => EngineHarness.Renderer;

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_IsDrawnWithItsOwnGlyphs_NotAsReplacementCharacters(string script, string name, string other)
    {
        _ = other;
        var resolved = Renderer.Resolve(name, "fallback")!;
        Assert.False(resolved.IsFallback, $"{script}: no font was found for '{name}'");
        var stamped = Renderer.Render(resolved, LineHeight);
        var replacement = new string('\uFFFD', name.EnumerateRunes().Count());
        var boxes = Renderer.Render(Renderer.Resolve(replacement, null)!, LineHeight);

        Assert.True(stamped.HasInk, $"{script}: no ink");
        Assert.False(SameMask(stamped, boxes), $"{script}: drawn like {replacement.Length} replacement characters");
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_TwoDifferentNamesOfTheSameLength_GiveDifferentStamps(string script, string name, string other)
    {
        Assert.Equal(name.Length, other.Length);
        var a = Renderer.Render(Renderer.Resolve(name, null)!, LineHeight);
        var b = Renderer.Render(Renderer.Resolve(other, null)!, LineHeight);
        Assert.False(SameMask(a, b), $"{script}: '{name}' and '{other}' stamp alike");
    }

    [Fact]
    public void Arabic_IsShaped_NotDrawnAsIsolatedLetters()
    {
        // محمد in its isolated presentation forms (U+FEE1 U+FEA1 U+FEE1 U+FEA9): what an engine without
        // shaping would draw. The shaped word joins the letters (initial, medial, final forms).
        const string shaped = "محمد";
        const string isolated = "\uFEE1\uFEA1\uFEE1\uFEA9";
        var a = Renderer.Render(Renderer.Resolve(shaped, null)!, LineHeight);
        var b = Renderer.Render(Renderer.Resolve(isolated, null)!, LineHeight);
        Assert.True(b.HasInk);
        Assert.False(SameMask(a, b), "the Arabic word is drawn as isolated letters");
        Assert.True(a.Width < b.Width, $"joined letters are narrower than isolated ones ({a.Width} vs {b.Width} px)");
    }

    [Theory]
    [InlineData("דוד כהן")]
    [InlineData("محمد علي")]
    public void RightToLeftText_RunsRightToLeft(string name)
    {
        // The first letter of a right-to-left word is its rightmost: alone, it inks the right end of the line.
        var first = name[..1];
        var line = Renderer.Render(Renderer.Resolve(name, null)!, LineHeight);
        var letter = Renderer.Render(Renderer.Resolve(first + " ", null)!, LineHeight);
        var (inkLeft, inkRight) = InkColumns(line);
        var (letterLeft, letterRight) = InkColumns(letter);
        Assert.True(inkRight - inkLeft > 3 * (letterRight - letterLeft), "the line is not wider than its first letter");

        // In a left-to-right line the same letter followed by a space sits at the left; in its own direction at the right.
        Assert.True(letterLeft > (letter.Width / 2) - 2 || letterRight > letter.Width / 2, $"'{first} ' is inked at {letterLeft}–{letterRight} of {letter.Width}");
    }

    [Fact]
    public void MixedLine_LatinStampWithAnArabicName_KeepsTheLatinPartsInPlace()
    {
        var mixed = Renderer.Render(Renderer.Resolve("KYC محمد 2026", null)!, LineHeight);
        var latinFirst = Renderer.Render(Renderer.Resolve("KYC", null)!, LineHeight);
        // The Latin prefix comes first on the left, as in a left-to-right paragraph.
        var (mixedLeft, _) = InkColumns(mixed);
        var (latinLeft, latinRight) = InkColumns(latinFirst);
        Assert.Equal(latinLeft, mixedLeft);
        var columns = latinRight - latinLeft;
        for (var y = 0; y < Math.Min(mixed.Height, latinFirst.Height); y++)
        {
            Assert.True(mixed.Row(y).Slice(latinLeft, columns).SequenceEqual(latinFirst.Row(y).Slice(latinLeft, columns)), $"row {y} of 'KYC' differs");
        }
    }

    [Fact]
    public void EveryScript_OnOneSheet_WrittenForTheDocsWhenAsked()
    {
        // SSF_WRITE_DOCS_IMAGES=1 writes docs/images/stamp-scripts.png: each script's two names, as the stamp draws them.
        var lines = Scripts().Select(row => (string)row[1] + "  ·  " + (string)row[2] + "  ·  2026-11-30 12:00 UTC").ToList();
        var masks = lines.Select(l => Renderer.Render(Renderer.Resolve(l, null)!, LineHeight)).ToList();
        Assert.All(masks, m => Assert.True(m.HasInk));
        if (Environment.GetEnvironmentVariable("SSF_WRITE_DOCS_IMAGES") != "1")
        {
            return;
        }

        var width = masks.Max(m => m.Width);
        using var sheet = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.L8>(width, masks.Sum(m => m.Height), new SixLabors.ImageSharp.PixelFormats.L8(255));
        var top = 0;
        foreach (var mask in masks)
        {
            for (var y = 0; y < mask.Height; y++)
            {
                for (var x = 0; x < mask.Width; x++)
                {
                    sheet[x, top + y] = new SixLabors.ImageSharp.PixelFormats.L8((byte)(255 - mask.Coverage[(y * mask.Width) + x]));
                }
            }

            top += mask.Height;
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SignedStaticFiles.sln")))
        {
            directory = directory.Parent;
        }

        var images = Path.Combine(directory!.FullName, "docs", "images");
        Directory.CreateDirectory(images);
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(sheet, Path.Combine(images, "stamp-scripts.png"));
    }

    private static bool SameMask(TextMask a, TextMask b) =>
        a.Width == b.Width && a.Height == b.Height && a.Coverage.AsSpan(0, a.Width * a.Height).SequenceEqual(b.Coverage.AsSpan(0, b.Width * b.Height));

    private static (int Left, int Right) InkColumns(TextMask mask)
    {
        int left = mask.Width, right = -1;
        for (var y = 0; y < mask.Height; y++)
        {
            var row = mask.Row(y);
            var first = row.IndexOfAnyExcept((byte)0);
            if (first >= 0)
            {
                left = Math.Min(left, first);
                right = Math.Max(right, row.LastIndexOfAnyExcept((byte)0));
            }
        }

        return (left, right);
    }
}
