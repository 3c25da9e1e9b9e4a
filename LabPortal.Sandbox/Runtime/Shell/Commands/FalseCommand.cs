namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>false</c>: fails with status 1.</summary>
internal sealed class FalseCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["false"];

    public int Run(CommandContext context, List<string> arguments)
        => 1;
}
