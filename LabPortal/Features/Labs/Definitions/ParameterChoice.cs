namespace LabPortal.Features.Labs.Definitions;

public sealed class ParameterChoice
{
    public string Value { get; set; } = "";

    public LocalizedText? Label { get; set; }
}
