using System.Globalization;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>shift [N]</c>: drops the first positional parameters.</summary>
internal sealed class ShiftCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["shift"];

    public int Run(CommandContext context, List<string> arguments)
        => Shift(arguments, context.Session);

    private static int Shift(List<string> arguments, ShellSession session)
    {
        var count = arguments.Count > 0 && int.TryParse(arguments[0], CultureInfo.InvariantCulture, out var n) ? n : 1;
        if (count > session.Positional.Count)
        {
            return 1;
        }

        session.Positional = [.. session.Positional.Skip(count)];
        return 0;
    }
}
