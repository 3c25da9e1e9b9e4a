using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>source FILE</c> and <c>. FILE</c>: the file runs in the current shell.</summary>
internal sealed class SourceCommand(GuestOperatingSystem os, IScriptRunner shell) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["source", "."];

    public int Run(CommandContext context, List<string> arguments)
        => Source(arguments, context.Io, context.Session);

    private int Source(List<string> arguments, CommandIo io, ShellSession session)
    {
        if (arguments.Count == 0)
        {
            return io.Fail("bash: source: filename argument required", 2);
        }

        var path = GuestFileSystem.Combine(session.WorkingDirectory, arguments[0]);
        return os.Files.ReadFile(path) is { } script
            ? shell.RunChildScript(script, io, session, sameShell: true)
            : io.Fail($"bash: {arguments[0]}: No such file or directory", 1);
    }
}
