using System.Globalization;
using System.Text;

namespace SignedStaticFiles.Watermarking;

/// <summary>
/// Expands a watermark template: <c>{user}</c>, <c>{utc}</c> / <c>{utc:format}</c>, <c>{link}</c>. Any
/// other brace sequence is kept as written, so a literal brace needs no escaping.
/// </summary>
internal static class WatermarkTemplate
{
    /// <summary>The longest text a link may carry, and the longest expansion that is drawn.</summary>
    public const int MaxLength = 200;

    private const string DefaultUtcFormat = "yyyy-MM-dd HH:mm";

    public static string Expand(string template, string user, DateTimeOffset utcNow, string linkId)
    {
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

        // What is drawn is bounded whatever the template and the user id make of it.
        var text = builder.Length > MaxLength ? builder.ToString(0, MaxLength) : builder.ToString();
        return ReplaceControlCharacters(text);
    }

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

    /// <summary>Null when <paramref name="text"/> is acceptable as a link's watermark text, else why not.</summary>
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

        try
        {
            // A bad {utc:format} fails here, at signing or startup, never at serving.
            Expand(text, "user", DateTimeOffset.UnixEpoch, "link");
        }
        catch (FormatException)
        {
            return "has an invalid {utc:format} date format";
        }

        return null;
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
