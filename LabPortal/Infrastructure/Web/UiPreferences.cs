namespace LabPortal.Infrastructure.Web;

/// <summary>What the host page read from the request for the interactive tree: the chosen theme.</summary>
public sealed record UiPreferences(bool Dark);
