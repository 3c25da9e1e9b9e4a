namespace LabPortal.Features.LivePanel;

/// <summary>The panel's fragments as HTML, per language ("en", "ko"), ready to push to tabs.</summary>
public sealed record RenderedPanel(IReadOnlyDictionary<string, (string Targets, string Requests)> ByLanguage);
