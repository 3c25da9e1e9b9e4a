namespace LabPortal.Features.Labs.Definitions;

public sealed class StepDefinition
{
    public string Id { get; set; } = "";

    public StepKind Kind { get; set; }

    public LocalizedText Title { get; set; } = new();

    /// <summary>File name of the step's Markdown, the same under <c>en/</c> and <c>ko/</c>.</summary>
    public string Instructions { get; set; } = "";

    public List<QuizQuestion> Quiz { get; set; } = [];

    /// <summary>The C# action this step runs (action and finish steps).</summary>
    public string? Action { get; set; }

    public List<ParameterDefinition> Parameters { get; set; } = [];

    /// <summary>Read-only checks behind "Check my progress".</summary>
    public List<string> Checks { get; set; } = [];

    /// <summary>
    /// True when the step needs a data plane (real web servers and health checks). On an API-only
    /// emulator such a step is shown as not available there and does not block the steps after it.
    /// </summary>
    public bool RequiresDataPlane { get; set; }

    /// <summary>The equivalent AWS CLI commands, with placeholders.</summary>
    public string? Cli { get; set; }
}
