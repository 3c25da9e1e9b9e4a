namespace LabPortal.Features.Labs.Definitions;

/// <summary>A caution shown while the parameter's value equals <see cref="When"/> (e.g. SSH open to the world).</summary>
public sealed class ParameterWarning
{
    public string When { get; set; } = "";

    public LocalizedText Text { get; set; } = new();
}
