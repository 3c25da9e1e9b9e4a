using LabPortal.Features.LabRuns.Engine;
using LabPortal.Features.Labs.Definitions;

namespace LabPortal.Features.LabRuns;

/// <summary>Which labs this build can run: every action a lab names must be implemented.</summary>
public sealed class LabAvailability(IEnumerable<ILabAction> actions)
{
    private readonly HashSet<string> _actions = actions.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);

    public IReadOnlyList<string> MissingActions(LabDefinition lab) =>
        [.. lab.Steps.Select(s => s.Action).OfType<string>().Where(a => !_actions.Contains(a)).Distinct(StringComparer.Ordinal)];

    public bool CanRun(LabDefinition lab) => MissingActions(lab).Count == 0;
}
