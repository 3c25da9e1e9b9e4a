namespace LabPortal.Features.Labs.Definitions;

public sealed class QuizQuestion
{
    public string Id { get; set; } = "";

    public LocalizedText Question { get; set; } = new();

    public List<QuizChoice> Choices { get; set; } = [];

    public string Answer { get; set; } = "";

    public LocalizedText Explanation { get; set; } = new();
}
