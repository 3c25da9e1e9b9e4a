using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>One call of a command: the name it was called by, its streams and the shell it runs in.</summary>
internal sealed record CommandContext(string Name, CommandIo Io, ShellSession Session);
