namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>whoami</c>: scripts run as root.</summary>
internal sealed class WhoamiCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["whoami"];

    public int Run(CommandContext context, List<string> arguments)
        => context.Io.Line("root");
}
