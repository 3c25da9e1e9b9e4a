using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>cd [DIR]</c>: changes the session's working directory.</summary>
internal sealed class CdCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["cd"];

    public int Run(CommandContext context, List<string> arguments)
        => ChangeDirectory(arguments, context.Io, context.Session);

    private int ChangeDirectory(List<string> arguments, CommandIo io, ShellSession session)
    {
        var target = arguments.FirstOrDefault(a => a != "--") ?? session.Variables.GetValueOrDefault("HOME", "/root");
        var path = GuestFileSystem.Combine(session.WorkingDirectory, target);
        if (!os.Files.DirectoryExists(path))
        {
            return io.Fail($"bash: cd: {target}: {(os.Files.FileExists(path) ? "Not a directory" : "No such file or directory")}", 1);
        }

        session.WorkingDirectory = path;
        session.Variables["PWD"] = path;
        return 0;
    }
}
