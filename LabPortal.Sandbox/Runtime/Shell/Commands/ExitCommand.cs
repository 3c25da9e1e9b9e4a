using System.Globalization;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>exit [N]</c>: ends the script with N (or the last status).</summary>
internal sealed class ExitCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["exit"];

    public int Run(CommandContext context, List<string> arguments)
        => Exit(arguments, context.Session);

    internal static int Exit(List<string> arguments, ShellSession session)
    {
        var status = arguments.Count > 0 && int.TryParse(arguments[0], CultureInfo.InvariantCulture, out var code)
            ? code & 0xFF
            : session.LastStatus;
        session.LastStatus = status;
        session.Exited = true;
        return status;
    }
}
