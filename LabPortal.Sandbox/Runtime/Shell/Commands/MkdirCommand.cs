using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>mkdir [-p] [-m MODE] DIR...</c> (the mode is not modelled).</summary>
internal sealed class MkdirCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["mkdir"];

    public int Run(CommandContext context, List<string> arguments)
        => MakeDirectory(arguments, context.Io, context.Session);

    private int MakeDirectory(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (flags, operands) = CommandOptions.Split(arguments.Where((a, i) => i == 0 || arguments[i - 1] != "-m").ToList());
        if (operands.Count == 0)
        {
            return io.Fail("mkdir: missing operand", 1);
        }

        var status = 0;
        foreach (var operand in operands.Where(o => !o.All(char.IsAsciiDigit)))
        {
            var error = os.Files.CreateDirectory(GuestFileSystem.Combine(session.WorkingDirectory, operand), flags.Contains('p'));
            if (error is not null)
            {
                io.ErrorLine($"mkdir: cannot create directory '{operand}': {error}");
                status = 1;
            }
        }

        return status;
    }
}
