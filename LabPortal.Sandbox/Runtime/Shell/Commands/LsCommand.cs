using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>ls [PATH...]</c>: one name a line.</summary>
internal sealed class LsCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["ls"];

    public int Run(CommandContext context, List<string> arguments)
        => List(arguments, context.Io, context.Session);

    private int List(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (_, operands) = CommandOptions.Split(arguments);
        if (operands.Count == 0)
        {
            operands.Add(".");
        }

        var status = 0;
        foreach (var operand in operands)
        {
            var path = GuestFileSystem.Combine(session.WorkingDirectory, operand);
            if (os.Files.List(path) is { } entries)
            {
                foreach (var entry in entries)
                {
                    io.WriteLine(entry);
                }
            }
            else if (os.Files.FileExists(path))
            {
                io.WriteLine(operand);
            }
            else
            {
                io.ErrorLine($"ls: cannot access '{operand}': No such file or directory");
                status = 2;
            }
        }

        return status;
    }
}
