using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>su -c COMMAND</c>: a child shell (the script already runs as root).</summary>
internal sealed class SuCommand(IScriptRunner shell) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["su"];

    public int Run(CommandContext context, List<string> arguments)
        => Su(arguments, context.Io, context.Session);

    private int Su(List<string> arguments, CommandIo io, ShellSession session)
    {
        var c = arguments.IndexOf("-c");
        return c >= 0 && c + 1 < arguments.Count
            ? shell.RunChildScript(arguments[c + 1], io, session, sameShell: false)
            : RootShell.Continue(io, "su " + string.Join(' ', arguments));
    }
}
