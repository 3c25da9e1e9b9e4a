using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>rmdir DIR...</c>: only empty directories.</summary>
internal sealed class RmdirCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["rmdir"];

    public int Run(CommandContext context, List<string> arguments)
        => RemoveDirectory(arguments, context.Io, context.Session);

    private int RemoveDirectory(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (_, operands) = CommandOptions.Split(arguments);
        var status = 0;
        foreach (var operand in operands)
        {
            var path = GuestFileSystem.Combine(session.WorkingDirectory, operand);
            var entries = os.Files.List(path);
            var error = entries is null ? "No such file or directory"
                : entries.Count > 0 ? "Directory not empty"
                : os.Files.Remove(path, recursive: true);
            if (error is not null)
            {
                io.ErrorLine($"rmdir: failed to remove '{operand}': {error}");
                status = 1;
            }
        }

        return status;
    }
}
