namespace LabPortal.Features.Labs.Definitions;

/// <summary>A lab as its <c>lab.yaml</c> describes it (docs/lab-format.md).</summary>
public sealed class LabDefinition
{
    public string Id { get; set; } = "";

    public int Order { get; set; }

    public LocalizedText Title { get; set; } = new();

    public LocalizedText Summary { get; set; } = new();

    public string? Source { get; set; }

    public string Region { get; set; } = "ap-northeast-2";

    public int EstimatedMinutes { get; set; }

    public bool RequiresDataPlane { get; set; }

    public string? ContinuesFrom { get; set; }

    public List<StepDefinition> Steps { get; set; } = [];

    /// <summary>Markdown per step id and language ("en"/"ko"), loaded with the definition.</summary>
    public Dictionary<(string StepId, string Language), string> Instructions { get; } = [];

    public StepDefinition? Step(string stepId) => Steps.Find(s => s.Id == stepId);
}
