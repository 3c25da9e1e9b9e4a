using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>unset NAME...</c>.</summary>
internal sealed class UnsetCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["unset"];

    public int Run(CommandContext context, List<string> arguments)
        => Unset(arguments, context.Session);

    private static int Unset(List<string> arguments, ShellSession session)
    {
        foreach (var argument in arguments.Where(a => !a.StartsWith('-')))
        {
            session.Variables.Remove(argument);
        }

        return 0;
    }
}
