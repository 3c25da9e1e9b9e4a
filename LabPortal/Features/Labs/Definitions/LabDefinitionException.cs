namespace LabPortal.Features.Labs.Definitions;

/// <summary>A lab folder that cannot be used, with every problem found (so an author fixes them in one pass).</summary>
public sealed class LabDefinitionException(IReadOnlyList<string> problems)
    : Exception("The lab definitions have problems:\n- " + string.Join("\n- ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
