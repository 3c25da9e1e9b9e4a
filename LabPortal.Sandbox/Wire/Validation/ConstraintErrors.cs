using System.Globalization;

namespace LabPortal.Sandbox.Wire.Validation;

/// <summary>
/// Collects constraint violations the way AWS's request validation reports them, in one error:
/// <c>2 validation errors detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must
/// have value greater than or equal to 1; ...</c> (ValidationError for Query services, ValidationException for JSON).
/// </summary>
internal sealed class ConstraintErrors
{
    /// <summary>AWS stops listing after a handful; so does the sandbox, so a huge request cannot make a huge answer.</summary>
    private const int MaxListed = 10;

    private readonly List<string> _errors = [];

    public int Count => _errors.Count;

    public void Add(string path, string? value, string constraint)
    {
        if (_errors.Count >= MaxListed)
        {
            return;
        }

        var shown = value is null ? "null" : $"'{QueryParameters.Shorten(value)}'";
        _errors.Add($"Value {shown} at '{path}' failed to satisfy constraint: {constraint}");
    }

    /// <summary>Checks <c>min</c>/<c>max</c> of a length (strings, lists, maps) or of a number.</summary>
    public void Bounds(ModelShape shape, string path, string value, double measured, bool isLength)
    {
        var what = isLength ? "length" : "value";
        if (shape.Min is { } min && measured < min)
        {
            Add(path, value, $"Member must have {what} greater than or equal to {Format(min)}");
        }

        if (shape.Max is { } max && measured > max)
        {
            Add(path, value, $"Member must have {what} less than or equal to {Format(max)}");
        }
    }

    /// <summary>Checks the model's pattern against the whole value.</summary>
    public void Pattern(ModelShape shape, string path, string value)
    {
        if (shape.Regex is not { } regex)
        {
            return;
        }

        bool matches;
        try
        {
            matches = regex.IsMatch(value);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            matches = false;
        }

        if (!matches)
        {
            Add(path, value, $"Member must satisfy regular expression pattern: {shape.Pattern}");
        }
    }

    public ApiException? ToException(string code) =>
        _errors.Count == 0
            ? null
            : new ApiException(code, $"{_errors.Count} validation error{(_errors.Count == 1 ? string.Empty : "s")} detected: {string.Join("; ", _errors)}");

    /// <summary>AWS names a member in a path with a lower-case first letter (<c>healthCheckIntervalSeconds</c>).</summary>
    public static string PathOf(string parent, string member)
    {
        var name = member.Length == 0 ? member : char.ToLowerInvariant(member[0]) + member[1..];
        return parent.Length == 0 ? name : parent + "." + name;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
