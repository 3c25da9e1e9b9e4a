using System.Globalization;

namespace LabPortal.Sandbox.Wire;

/// <summary>
/// Number parsing as AWS's services do it: ASCII digits only. .NET's <c>\d</c> matches every Unicode
/// decimal digit (Arabic-Indic <c>٢٠٠</c>, full-width <c>２００</c>), which is how such values once passed
/// a regex and then broke <c>int.Parse</c>; everything numeric on the wire goes through here instead.
/// </summary>
internal static class AsciiNumber
{
    /// <summary>True when <paramref name="value"/> is non-empty and every character is <c>0</c>-<c>9</c>.</summary>
    public static bool IsDigits(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An optional leading <c>-</c> or <c>+</c>, then ASCII digits; nothing else (no spaces, no separators).</summary>
    public static bool TryParseInt64(string value, out long result)
    {
        result = 0;
        var digits = value.AsSpan();
        if (digits.Length > 0 && digits[0] is '-' or '+')
        {
            digits = digits[1..];
        }

        return IsDigits(digits) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
    }

    /// <summary>As <see cref="TryParseInt64"/>, within <see cref="int"/>.</summary>
    public static bool TryParseInt32(string value, out int result)
    {
        result = 0;
        if (!TryParseInt64(value, out var wide) || wide is < int.MinValue or > int.MaxValue)
        {
            return false;
        }

        result = (int)wide;
        return true;
    }

    /// <summary>A decimal number in ASCII (<c>-1.5</c>, <c>2e3</c>); no NaN, no infinity, no spaces.</summary>
    public static bool TryParseDouble(string value, out double result)
    {
        result = 0;
        foreach (var c in value)
        {
            if (!(char.IsAsciiDigit(c) || c is '-' or '+' or '.' or 'e' or 'E'))
            {
                return false;
            }
        }

        return value.Length > 0
            && double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out result)
            && double.IsFinite(result);
    }
}
