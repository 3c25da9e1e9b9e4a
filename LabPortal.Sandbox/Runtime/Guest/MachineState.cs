namespace LabPortal.Sandbox.Runtime.Guest;

/// <summary>Persistable OS state: files written, packages installed, services enabled and running, console text.</summary>
public sealed record MachineState(
    IReadOnlyDictionary<string, string> Files,
    IReadOnlyList<string> InstalledPackages,
    IReadOnlyList<string> EnabledServices,
    IReadOnlyList<string> RunningServices,
    string ConsoleOutput);
