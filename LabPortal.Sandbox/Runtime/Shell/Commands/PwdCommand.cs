namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>pwd</c>.</summary>
internal sealed class PwdCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["pwd"];

    public int Run(CommandContext context, List<string> arguments)
        => context.Io.Line(context.Session.WorkingDirectory);
}
