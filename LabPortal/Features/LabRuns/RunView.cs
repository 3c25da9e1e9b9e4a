using System.Text.Json;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns;

/// <summary>Everything a run's pages show: the run, its lab, each step's state, and the learner's values.</summary>
public sealed record RunView(LabRun Run, LabDefinition Lab, IReadOnlyList<StepState> Steps)
{
    public StepState? Step(string stepId) => Steps.FirstOrDefault(s => s.Definition.Id == stepId);

    /// <summary>The first step not yet done, or the last step when all are.</summary>
    public StepState NextStep => Steps.FirstOrDefault(s => !s.Done) ?? Steps[^1];

    public int DoneCount => Steps.Count(s => s.Done);

    /// <summary>Parameter values and <c>outputs.*</c>, for placeholders in Markdown and CLI text.</summary>
    public IReadOnlyDictionary<string, string> Placeholders
    {
        get
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var parameter in Lab.Steps.SelectMany(s => s.Parameters).Where(p => p.Default is not null))
            {
                values[parameter.Name] = parameter.Default!;
            }

            foreach (var (key, value) in ReadJson(Run.ValuesJson))
            {
                values[key] = value;
            }

            foreach (var (key, value) in RunOutputs.Of(Run).ByPlaceholderName)
            {
                values["outputs." + key] = value;
            }

            return values;
        }
    }

    public static Dictionary<string, string> ReadJson(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
