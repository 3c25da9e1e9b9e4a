namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>id</c>: scripts run as root.</summary>
internal sealed class IdCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["id"];

    public int Run(CommandContext context, List<string> arguments)
        => context.Io.Line("uid=0(root) gid=0(root) groups=0(root)");
}
