namespace LabPortal.Features.Labs.Definitions;

public sealed class QuizChoice
{
    public string Id { get; set; } = "";

    public LocalizedText Text { get; set; } = new();
}
