using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>cp [-r]</c> and <c>mv</c>: files and directory trees.</summary>
internal sealed class CopyCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["cp", "mv"];

    public int Run(CommandContext context, List<string> arguments)
        => Copy(arguments, context.Io, context.Session, move: context.Name == "mv");

    private int Copy(List<string> arguments, CommandIo io, ShellSession session, bool move)
    {
        var tool = move ? "mv" : "cp";
        var (flags, operands) = CommandOptions.Split(arguments);
        if (operands.Count < 2)
        {
            return io.Fail($"{tool}: missing destination file operand", 1);
        }

        var recursive = move || flags.Contains('r') || flags.Contains('R') || flags.Contains('a');
        var destination = GuestFileSystem.Combine(session.WorkingDirectory, operands[^1]);
        var destinationIsDirectory = os.Files.DirectoryExists(destination);
        if (operands.Count > 2 && !destinationIsDirectory)
        {
            return io.Fail($"{tool}: target '{operands[^1]}' is not a directory", 1);
        }

        var status = 0;
        foreach (var operand in operands.Take(operands.Count - 1))
        {
            var source = GuestFileSystem.Combine(session.WorkingDirectory, operand);
            var target = destinationIsDirectory ? destination.TrimEnd('/') + "/" + GuestFileSystem.NameOf(source) : destination;
            if (os.Files.ReadFile(source) is { } content)
            {
                var error = os.Files.WriteFile(target, content, append: false);
                if (error is not null)
                {
                    io.ErrorLine($"{tool}: cannot create regular file '{operands[^1]}': {error}");
                    status = 1;
                }
                else if (move)
                {
                    os.Files.Remove(source, recursive: false);
                }

                continue;
            }

            if (!os.Files.DirectoryExists(source))
            {
                io.ErrorLine($"{tool}: cannot stat '{operand}': No such file or directory");
                status = 1;
                continue;
            }

            if (!recursive)
            {
                io.ErrorLine($"cp: -r not specified; omitting directory '{operand}'");
                status = 1;
                continue;
            }

            var created = os.Files.CreateDirectory(target, parents: false);
            if (created is not null && !os.Files.DirectoryExists(target))
            {
                io.ErrorLine($"{tool}: cannot create directory '{operands[^1]}': {created}");
                status = 1;
                continue;
            }

            foreach (var (path, fileContent) in os.Files.FilesUnder(source))
            {
                var copy = target + path[source.Length..];
                os.Files.CreateDirectory(GuestFileSystem.ParentOf(copy), parents: true);
                os.Files.WriteFile(copy, fileContent, append: false);
            }

            if (move)
            {
                os.Files.Remove(source, recursive: true);
            }
        }

        return status;
    }
}
