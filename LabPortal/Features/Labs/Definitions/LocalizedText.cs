using LabPortal.Infrastructure.Localization;

namespace LabPortal.Features.Labs.Definitions;

/// <summary>A text of a lab definition in both languages (<c>{ en: ..., ko: ... }</c> in YAML).</summary>
public sealed class LocalizedText
{
    public string En { get; set; } = "";

    public string Ko { get; set; } = "";

    /// <summary>The text in the request's language.</summary>
    public string Text => L.T(En, Ko);

    public override string ToString() => Text;
}
