using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>bash -c</c>, <c>bash FILE</c> and <c>curl ... | bash</c>: a child shell.</summary>
internal sealed class BashCommand(IScriptRunner shell) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["bash", "sh"];

    public int Run(CommandContext context, List<string> arguments)
        => Bash(arguments, context.Io, context.Session);

    private int Bash(List<string> arguments, CommandIo io, ShellSession session)
    {
        var i = 0;
        while (i < arguments.Count && arguments[i].StartsWith('-') && arguments[i] != "-c")
        {
            i++;
        }

        if (i < arguments.Count && arguments[i] == "-c")
        {
            return i + 1 < arguments.Count ? shell.RunChildScript(arguments[i + 1], io, session, sameShell: false) : io.Fail("bash: -c: option requires an argument", 2);
        }

        if (i < arguments.Count)
        {
            return shell.RunScriptFile(arguments[i], io, session, asProgram: false);
        }

        // "curl ... | bash": the script arrives on standard input.
        return io.StandardInput.Length > 0 ? shell.RunChildScript(io.StandardInput, io, session, sameShell: false) : RootShell.Continue(io, "bash");
    }
}
