using System.Text.RegularExpressions;

namespace LabPortal.Sandbox.Wire.Validation;

/// <summary>
/// One request shape of a botocore service model, reduced to what validation needs: its type, the
/// <c>min</c>/<c>max</c> and <c>pattern</c> constraints, and the nesting (members, list member, map key and value).
/// </summary>
internal sealed class ModelShape
{
    private Regex? _regex;

    public required string Name { get; init; }

    /// <summary>botocore's type name: structure, list, map, string, integer, long, boolean, double, float, timestamp, blob.</summary>
    public required string Type { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    /// <summary>The model's pattern, already translated to .NET's dialect by the generator.</summary>
    public string? Pattern { get; init; }

    public IReadOnlyDictionary<string, string> Members { get; init; } = new Dictionary<string, string>();

    public IReadOnlySet<string> Required { get; init; } = new HashSet<string>();

    public string? Member { get; init; }

    public string? Key { get; init; }

    public string? Value { get; init; }

    public bool Flattened { get; init; }

    /// <summary>
    /// AWS matches a pattern against the whole value (Java <c>Matcher.matches()</c>): anchored with
    /// <c>\A</c> and <c>\z</c>, so a trailing newline never slips past a <c>$</c>. A one-second timeout bounds
    /// any pattern against the 64 KiB values the gateway lets through.
    /// </summary>
    public Regex? Regex => Pattern is null
        ? null
        : _regex ??= new Regex(@"\A(?:" + Pattern + @")\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
