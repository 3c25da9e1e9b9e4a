using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>rm [-rf] PATH...</c>.</summary>
internal sealed class RmCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["rm"];

    public int Run(CommandContext context, List<string> arguments)
        => Remove(arguments, context.Io, context.Session);

    private int Remove(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (flags, operands) = CommandOptions.Split(arguments);
        var force = flags.Contains('f');
        var recursive = flags.Contains('r') || flags.Contains('R');
        var status = 0;
        foreach (var operand in operands)
        {
            var error = os.Files.Remove(GuestFileSystem.Combine(session.WorkingDirectory, operand), recursive);
            if (error is not null && !(force && error == "No such file or directory"))
            {
                io.ErrorLine($"rm: cannot remove '{operand}': {error}");
                status = 1;
            }
        }

        return status;
    }
}
