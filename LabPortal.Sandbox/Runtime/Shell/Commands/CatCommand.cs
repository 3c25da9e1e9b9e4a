using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>cat [FILE...]</c> with GNU's messages.</summary>
internal sealed class CatCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["cat"];

    public int Run(CommandContext context, List<string> arguments)
        => Cat(arguments, context.Io, context.Session);

    private int Cat(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (_, operands) = CommandOptions.Split(arguments);
        if (operands.Count == 0)
        {
            io.Out.Append(io.StandardInput);
            return 0;
        }

        var status = 0;
        foreach (var operand in operands)
        {
            if (operand == "-")
            {
                io.Out.Append(io.StandardInput);
                continue;
            }

            var path = GuestFileSystem.Combine(session.WorkingDirectory, operand);
            if (os.Files.ReadFile(path) is { } content)
            {
                io.Out.Append(content);
            }
            else
            {
                io.ErrorLine($"cat: {operand}: {(os.Files.DirectoryExists(path) ? "Is a directory" : "No such file or directory")}");
                status = 1;
            }
        }

        return status;
    }
}
