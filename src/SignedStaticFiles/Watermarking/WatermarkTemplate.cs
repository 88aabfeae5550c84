using System.Globalization;
using System.Text;

namespace SignedStaticFiles.Watermarking;

/// <summary>
/// Expands a watermark template: <c>{user}</c>, <c>{utc}</c> / <c>{utc:format}</c>, <c>{link}</c>. Any
/// other brace sequence is kept as written, so a literal brace needs no escaping. A pure step: the
/// generator validates with it at mint, the options validator at startup, the middleware expands with it.
/// </summary>
internal static class WatermarkTemplate
{
    /// <summary>The longest text a link may carry, and the longest expansion that is drawn.</summary>
    public const int MaxLength = 200;

    private const string DefaultUtcFormat = "yyyy-MM-dd HH:mm";

    // A link id as long as the real ones, for the worst-case length check in Validate.
    private static readonly string LongestLinkId = new('l', Signing.SealedLinkCodec.NewLinkId().Length);

    /// <summary>
    /// The expanded text. When it would be longer than <see cref="MaxLength"/>, only the inserted
    /// <c>{user}</c> values are shortened (ending in <c>…</c>): the time and the link id — the forensic part
    /// that says when and through which link — are never cut. Control characters become spaces.
    /// </summary>
    public static string Expand(string template, string user, DateTimeOffset utcNow, string linkId)
    {
        user = ReplaceControlCharacters(user);
        var text = ExpandWith(template, user, utcNow, linkId, out var userCount);
        if (text.Length <= MaxLength || userCount == 0)
        {
            return ReplaceControlCharacters(text);
        }

        // Everything but the user values fits (Validate checks that of the template); share what is left.
        var fixedLength = text.Length - (userCount * user.Length);
        var budget = Math.Max(0, (MaxLength - fixedLength) / userCount);
        return ReplaceControlCharacters(ExpandWith(template, Shorten(user, budget), utcNow, linkId, out _));
    }

    /// <summary>
    /// What <c>{user}</c> prints: the display name when it has visible ink, else the user id, else
    /// <c>anonymous</c> — a name made only of invisible characters must not blank the stamp's "who".
    /// </summary>
    public static string UserLabel(string? displayName, string? userId) =>
        displayName is not null && HasVisibleInk(displayName) ? displayName
        : userId is { Length: > 0 } ? userId
        : "anonymous";

    /// <summary>
    /// The stamp drawn when a character of the expanded text cannot be drawn by any available font: the user
    /// id, the time and the link id, with every character outside printable ASCII replaced by <c>?</c>.
    /// </summary>
    public static string Fallback(string userId, DateTimeOffset utcNow, string linkId)
    {
        var text = Expand("{user} {utc} UTC {link}", userId, utcNow, linkId);
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = source[i] is >= ' ' and <= '~' ? source[i] : '?';
            }
        });
    }

    /// <summary>Null when <paramref name="text"/> is acceptable as a watermark template, else why not.</summary>
    public static string? Validate(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "must not be empty or white space";
        }

        if (text.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        if (HasControlCharacter(text))
        {
            return "must not contain control characters";
        }

        string expanded;
        try
        {
            // A bad {utc:format} fails here, at signing or startup, never at serving. The longest time any
            // format gives is reached with two-digit fields: December 31st, 23:59:59.9999999.
            expanded = ExpandWith(text, string.Empty, new DateTimeOffset(2099, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999), LongestLinkId, out _);
        }
        catch (FormatException)
        {
            return "has an invalid {utc:format} date format";
        }

        if (expanded.Length > MaxLength)
        {
            // The time and the link id are never cut at serving, so they must fit by themselves.
            return $"expands to {expanded.Length} characters without the user, over {MaxLength}: use fewer {{utc}}/{{link}} fields";
        }

        if (!HasVisibleInk(ExpandWith(text, "user", DateTimeOffset.UnixEpoch, "link", out _)))
        {
            return "draws no visible character (only spaces, format or zero-width characters)";
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="text"/> has at least one character that puts ink on an image: a letter, digit,
    /// punctuation mark or symbol that is not a default-ignorable or blank code point. White space, format
    /// characters (soft hyphen, zero-width space and joiners, bidi controls), lone combining marks, variation
    /// selectors, tags and the Hangul and Braille blanks draw nothing.
    /// </summary>
    public static bool HasVisibleInk(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                    or UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                    or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                    or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark:
                    continue;
            }

            if (!IsBlank(rune.Value))
            {
                return true;
            }
        }

        return false;
    }

    // Default-ignorable and blank code points that Unicode files under a visible category.
    private static bool IsBlank(int c) =>
        c is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800 or 0x034F or 0x17B4 or 0x17B5
        || c is >= 0x180B and <= 0x180F
        || c is >= 0xFE00 and <= 0xFE0F
        || c is >= 0xFFF0 and <= 0xFFF8
        || c is >= 0x1BCA0 and <= 0x1BCA3
        || c is >= 0x1D173 and <= 0x1D17A
        || c is >= 0xE0000 and <= 0xE0FFF;

    private static string ExpandWith(string template, string user, DateTimeOffset utcNow, string linkId, out int userCount)
    {
        userCount = 0;
        var builder = new StringBuilder(template.Length + 32);
        var rest = template.AsSpan();
        while (!rest.IsEmpty)
        {
            var open = rest.IndexOf('{');
            var close = open < 0 ? -1 : rest[open..].IndexOf('}');
            if (close < 0)
            {
                builder.Append(rest);
                break;
            }

            builder.Append(rest[..open]);
            var name = rest.Slice(open + 1, close - 1);
            rest = rest[(open + close + 1)..];
            if (name.SequenceEqual("user"))
            {
                builder.Append(user);
                userCount++;
            }
            else if (name.SequenceEqual("link"))
            {
                builder.Append(linkId);
            }
            else if (name.SequenceEqual("utc"))
            {
                builder.Append(utcNow.UtcDateTime.ToString(DefaultUtcFormat, CultureInfo.InvariantCulture));
            }
            else if (name.StartsWith("utc:"))
            {
                builder.Append(utcNow.UtcDateTime.ToString(name[4..].ToString(), CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append('{').Append(name).Append('}');
            }
        }

        return builder.ToString();
    }

    /// <summary>At most <paramref name="budget"/> characters of <paramref name="value"/>, cut between text elements, ending in an ellipsis.</summary>
    private static string Shorten(string value, int budget)
    {
        if (value.Length <= budget)
        {
            return value;
        }

        if (budget <= 1)
        {
            return budget == 1 ? "\u2026" : string.Empty;
        }

        // Never split a surrogate pair or a base from its combining marks.
        var keep = 0;
        var enumerator = StringInfo.GetTextElementEnumerator(value);
        while (enumerator.MoveNext())
        {
            var end = enumerator.ElementIndex + enumerator.GetTextElement().Length;
            if (end > budget - 1)
            {
                break;
            }

            keep = end;
        }

        return string.Concat(value.AsSpan(0, keep), "\u2026");
    }

    private static bool HasControlCharacter(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string ReplaceControlCharacters(string text) =>
        HasControlCharacter(text)
            ? string.Create(text.Length, text, static (span, source) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = char.IsControl(source[i]) ? ' ' : source[i];
                }
            })
            : text;
}
