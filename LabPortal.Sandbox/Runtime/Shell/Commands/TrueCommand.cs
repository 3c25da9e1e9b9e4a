namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>The null commands <c>:</c> and <c>true</c>: they succeed and do nothing.</summary>
internal sealed class TrueCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = [":", "true"];

    public int Run(CommandContext context, List<string> arguments)
        => 0;
}
