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

    /// <summary>The equivalent AWS CLI commands, with placeholders.</summary>
    public string? Cli { get; set; }
}
