using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>tee [-a] FILE...</c>.</summary>
internal sealed class TeeCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["tee"];

    public int Run(CommandContext context, List<string> arguments)
        => Tee(arguments, context.Io, context.Session);

    private int Tee(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (flags, operands) = CommandOptions.Split(arguments);
        var status = 0;
        foreach (var operand in operands.Where(o => o != "/dev/null"))
        {
            var error = os.Files.WriteFile(GuestFileSystem.Combine(session.WorkingDirectory, operand), io.StandardInput, append: flags.Contains('a'));
            if (error is not null)
            {
                io.ErrorLine($"tee: {operand}: {error}");
                status = 1;
            }
        }

        io.Out.Append(io.StandardInput);
        return status;
    }
}
