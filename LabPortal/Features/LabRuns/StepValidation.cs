using LabPortal.Features.Labs.Definitions;

namespace LabPortal.Features.LabRuns;

/// <summary>
/// A step form's values checked with AWS's rules: each field on its own, then the rules across fields
/// (<see cref="ParameterRules.CheckTogether"/>). The form runs it before sending anything and the
/// service runs it again on what it receives.
/// </summary>
public static class StepValidation
{
    /// <summary>The cleaned values of the valid fields, and a message per invalid one (by parameter name).</summary>
    public static (Dictionary<string, string> Values, Dictionary<string, string> Errors) Check(StepDefinition step, IReadOnlyDictionary<string, string?> submitted)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in step.Parameters)
        {
            submitted.TryGetValue(parameter.Name, out var raw);
            if (ParameterRules.Check(parameter, raw) is { } violation)
            {
                errors[parameter.Name] = violation.Text;
            }
            else
            {
                values[parameter.Name] = parameter.Type == ParameterType.Multiline ? raw!.Replace("\r\n", "\n", StringComparison.Ordinal) : raw!.Trim();
            }
        }

        foreach (var (name, violation) in ParameterRules.CheckTogether(values))
        {
            errors[name] = violation.Text;
            values.Remove(name);
        }

        return (values, errors);
    }
}
