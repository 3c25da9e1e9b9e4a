namespace LabPortal.Sandbox.Runtime.Shell;

/// <summary>Where a command's output descriptor points.</summary>
internal enum OutputTargetKind
{
    StandardOutput,
    StandardError,
    Pipe,
    File,
    Null,
}
