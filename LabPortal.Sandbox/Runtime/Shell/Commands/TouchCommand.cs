using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>touch FILE...</c>: creates missing files (times are not modelled).</summary>
internal sealed class TouchCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["touch"];

    public int Run(CommandContext context, List<string> arguments)
        => Touch(arguments, context.Io, context.Session);

    private int Touch(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (_, operands) = CommandOptions.Split(arguments);
        var status = 0;
        foreach (var operand in operands)
        {
            var path = GuestFileSystem.Combine(session.WorkingDirectory, operand);
            if (os.Files.FileExists(path) || os.Files.DirectoryExists(path))
            {
                continue;
            }

            var error = os.Files.WriteFile(path, "", append: true);
            if (error is not null)
            {
                io.ErrorLine($"touch: cannot touch '{operand}': {error}");
                status = 1;
            }
        }

        return status;
    }
}
