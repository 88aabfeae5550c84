using System.Globalization;
using System.Text;

namespace SignedStaticFiles.ImageSharp.Text;

/// <summary>
/// Embedding levels of one line by the parts of the Unicode Bidirectional Algorithm (UAX #9) that a single
/// line of stamp text needs: the paragraph direction from the first strong character (P2–P3), weak types
/// W1–W4 and W7, neutrals N1–N2 and implicit levels I1–I2. Explicit embeddings and isolates are treated as
/// neutrals: a user name cannot reorder the rest of the stamp with override characters. Reordering (L2) is
/// done by the caller over runs.
/// </summary>
internal static class BidiLevels
{
    private enum Kind : byte { L, R, AL, EN, AN, ES, CS, NSM, ON }

    /// <summary>The level of each rune (0 left-to-right; odd right-to-left; 2 numbers or Latin inside right-to-left).</summary>
    public static byte[] Compute(IReadOnlyList<Rune> runes, out byte paragraphLevel)
    {
        var count = runes.Count;
        var kinds = new Kind[count];
        for (var i = 0; i < count; i++)
        {
            kinds[i] = Classify(runes[i]);
        }

        paragraphLevel = 0;
        foreach (var kind in kinds)
        {
            if (kind is Kind.L)
            {
                break;
            }

            if (kind is Kind.R or Kind.AL)
            {
                paragraphLevel = 1;
                break;
            }
        }

        var sos = paragraphLevel == 0 ? Kind.L : Kind.R;

        // W1: a non-spacing mark takes the type of the character before it.
        for (var i = 0; i < count; i++)
        {
            if (kinds[i] == Kind.NSM)
            {
                kinds[i] = i == 0 ? sos : kinds[i - 1];
            }
        }

        // W2: European digits after Arabic letters are Arabic numbers. W3: AL is R.
        var lastStrong = sos;
        for (var i = 0; i < count; i++)
        {
            switch (kinds[i])
            {
                case Kind.L or Kind.R or Kind.AL:
                    lastStrong = kinds[i];
                    break;
                case Kind.EN when lastStrong == Kind.AL:
                    kinds[i] = Kind.AN;
                    break;
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (kinds[i] == Kind.AL)
            {
                kinds[i] = Kind.R;
            }
        }

        // W4: one separator between two numbers of the same type joins them ("1,234", "12:30", "2026-11-30");
        // a European separator (+, -) joins European numbers only.
        for (var i = 1; i < count - 1; i++)
        {
            if (kinds[i - 1] != kinds[i + 1])
            {
                continue;
            }

            if ((kinds[i] == Kind.CS && kinds[i - 1] is Kind.EN or Kind.AN) || (kinds[i] == Kind.ES && kinds[i - 1] == Kind.EN))
            {
                kinds[i] = kinds[i - 1];
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (kinds[i] == Kind.ES)
            {
                kinds[i] = Kind.ON;
            }
        }

        // W7: European numbers after Latin are Latin.
        lastStrong = sos;
        for (var i = 0; i < count; i++)
        {
            if (kinds[i] is Kind.L or Kind.R)
            {
                lastStrong = kinds[i];
            }
            else if (kinds[i] == Kind.EN && lastStrong == Kind.L)
            {
                kinds[i] = Kind.L;
            }
        }

        // N1–N2: a run of neutrals between two of the same direction (numbers count as R) takes it; else the paragraph's.
        for (var i = 0; i < count;)
        {
            if (kinds[i] is not (Kind.CS or Kind.ON))
            {
                i++;
                continue;
            }

            var end = i;
            while (end < count && kinds[end] is Kind.CS or Kind.ON)
            {
                end++;
            }

            var before = i == 0 ? sos : Direction(kinds[i - 1]);
            var after = end == count ? sos : Direction(kinds[end]);
            var resolved = before == after ? before : sos;
            for (var j = i; j < end; j++)
            {
                kinds[j] = resolved;
            }

            i = end;
        }

        // I1–I2.
        var levels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            levels[i] = (paragraphLevel, kinds[i]) switch
            {
                (0, Kind.R) => 1,
                (0, Kind.EN or Kind.AN) => 2,
                (0, _) => 0,
                (_, Kind.L or Kind.EN or Kind.AN) => 2,
                _ => 1,
            };
        }

        return levels;
    }

    private static Kind Direction(Kind kind) => kind is Kind.L ? Kind.L : Kind.R;

    private static Kind Classify(Rune rune)
    {
        var c = rune.Value;
        switch (c)
        {
            case >= '0' and <= '9':
            case >= 0x06F0 and <= 0x06F9:
                return Kind.EN;
            case >= 0x0660 and <= 0x0669:
            case 0x066B or 0x066C:
                return Kind.AN;
            case ',' or '.' or ':' or '/' or 0x060C or 0x00A0:
                return Kind.CS;
            case '+' or '-' or 0x2212:
                return Kind.ES;
            case >= 0x0590 and <= 0x05FF:
            case >= 0x07C0 and <= 0x085F:
            case >= 0xFB1D and <= 0xFB4F:
            case >= 0x10800 and <= 0x10FFF:
            case >= 0x1E800 and <= 0x1EDFF:
                return IsMark(rune) ? Kind.NSM : Kind.R;
            case >= 0x0600 and <= 0x07BF:
            case >= 0x0860 and <= 0x08FF:
            case >= 0xFB50 and <= 0xFDFF:
            case >= 0xFE70 and <= 0xFEFE:
            case >= 0x1EE00 and <= 0x1EEFF:
                return IsMark(rune) ? Kind.NSM : Rune.IsLetter(rune) ? Kind.AL : Kind.ON;
        }

        if (IsMark(rune))
        {
            return Kind.NSM;
        }

        return Rune.IsLetter(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            ? Kind.L
            : Kind.ON;
    }

    private static bool IsMark(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark;
}
