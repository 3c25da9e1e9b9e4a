namespace LabPortal.Sandbox.Runtime.Shell;

/// <summary>An output descriptor's destination; <paramref name="Path"/> for a file.</summary>
internal readonly record struct OutputTarget(OutputTargetKind Kind, string? Path = null);
