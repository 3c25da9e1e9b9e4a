namespace LabPortal.Components;

/// <summary>A block of shell text for a learner to paste, with its heading and element id.</summary>
public sealed record CliText(string Id, string Title, string Text);
