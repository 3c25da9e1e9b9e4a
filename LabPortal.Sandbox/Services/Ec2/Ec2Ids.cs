using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>EC2 resource ids: a prefix and 17 lower-case hex digits (the long id format, e.g. <c>i-0abc...</c>).</summary>
public static partial class Ec2Ids
{
    public static string New(string prefix) => prefix + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9))[..17];

    /// <summary>True when <paramref name="id"/> has the shape of a <paramref name="prefix"/> id (8 or 17 hex digits).</summary>
    public static bool IsWellFormed(string id, string prefix) =>
        id.StartsWith(prefix + "-", StringComparison.Ordinal) && HexTail().IsMatch(id.AsSpan(prefix.Length + 1));

    [GeneratedRegex(@"\A([0-9a-f]{8}|[0-9a-f]{17})\z")]
    private static partial Regex HexTail();
}
