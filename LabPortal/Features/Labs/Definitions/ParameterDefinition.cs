namespace LabPortal.Features.Labs.Definitions;

public sealed class ParameterDefinition
{
    public string Name { get; set; } = "";

    public LocalizedText Label { get; set; } = new();

    public LocalizedText? Help { get; set; }

    public ParameterType Type { get; set; } = ParameterType.Text;

    public string? Default { get; set; }

    public int? MaxLength { get; set; }

    public int? Min { get; set; }

    public int? Max { get; set; }

    public List<ParameterChoice> Choices { get; set; } = [];

    /// <summary>Choices filled at run time from the learner's cloud (e.g. <c>groupInstances</c>).</summary>
    public string? ChoicesFrom { get; set; }

    public ParameterWarning? Warning { get; set; }
}
