using LabPortal.Sandbox.Runtime.Shell.Session;
using LabPortal.Sandbox.Runtime.Shell.Syntax;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>Declares variables (<c>export</c>, <c>declare</c>, <c>local</c>...); attributes are not modelled.</summary>
internal sealed class ExportCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["export", "declare", "typeset", "readonly", "local"];

    public int Run(CommandContext context, List<string> arguments)
        => Export(arguments, context.Session);

    private static int Export(List<string> arguments, ShellSession session)
    {
        foreach (var argument in arguments.Where(a => !a.StartsWith('-')))
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && ShellParser.IsName(argument[..equals]))
            {
                session.Variables[argument[..equals]] = argument[(equals + 1)..];
            }
        }

        return 0;
    }
}
