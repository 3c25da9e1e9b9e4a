using System.Globalization;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>return [N]</c>: ends the running function; outside one it ends the script, as bash does in a script run as a file.</summary>
internal sealed class ReturnCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["return"];

    public int Run(CommandContext context, List<string> arguments)
        => context.Session.FunctionDepth > 0 ? Return(arguments, context.Session) : ExitCommand.Exit(arguments, context.Session);

    private static int Return(List<string> arguments, ShellSession session)
    {
        var status = arguments.Count > 0 && int.TryParse(arguments[0], CultureInfo.InvariantCulture, out var code) ? code & 0xFF : session.LastStatus;
        session.LastStatus = status;
        session.Returning = true;
        return status;
    }
}
