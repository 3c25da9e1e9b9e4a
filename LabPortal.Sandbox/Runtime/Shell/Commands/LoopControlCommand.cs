using System.Globalization;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>break [N]</c> and <c>continue</c>: the loops read the pending request from the session.</summary>
internal sealed class LoopControlCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["break", "continue"];

    public int Run(CommandContext context, List<string> arguments)
        => LoopControl(arguments, context.Session, breaking: context.Name == "break");

    private static int LoopControl(List<string> arguments, ShellSession session, bool breaking)
    {
        if (breaking)
        {
            session.PendingBreaks = arguments.Count > 0 && int.TryParse(arguments[0], CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        }
        else
        {
            session.PendingContinue = true;
        }

        return 0;
    }
}
