namespace LabPortal.Sandbox.Runtime;

// coreutils commands over the guest file system, with GNU's messages and exit codes.
internal sealed partial class ShellInterpreter
{
    private static (HashSet<char> Flags, List<string> Operands) SplitOptions(List<string> arguments)
    {
        var flags = new HashSet<char>();
        var operands = new List<string>();
        var endOfOptions = false;
        foreach (var argument in arguments)
        {
            if (!endOfOptions && argument == "--")
            {
                endOfOptions = true;
            }
            else if (!endOfOptions && argument.Length > 1 && argument[0] == '-')
            {
                if (argument.StartsWith("--", StringComparison.Ordinal))
                {
                    flags.Add(argument switch
                    {
                        "--recursive" => 'r',
                        "--force" => 'f',
                        "--parents" => 'p',
                        "--append" => 'a',
                        _ => '?',
                    });
                }
                else
                {
                    flags.UnionWith(argument.Skip(1));
                }
            }
            else
            {
                operands.Add(argument);
            }
        }

        return (flags, operands);
    }

    private int Cat(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (_, operands) = SplitOptions(arguments);
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

    private int Tee(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (flags, operands) = SplitOptions(arguments);
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

    private int MakeDirectory(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (flags, operands) = SplitOptions(arguments.Where((a, i) => i == 0 || arguments[i - 1] != "-m").ToList());
        if (operands.Count == 0)
        {
            return Fail(io, "mkdir: missing operand", 1);
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

    private int Remove(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (flags, operands) = SplitOptions(arguments);
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

    private int RemoveDirectory(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (_, operands) = SplitOptions(arguments);
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

    private int Copy(List<string> arguments, CommandIo io, ShellSession session, bool move)
    {
        var tool = move ? "mv" : "cp";
        var (flags, operands) = SplitOptions(arguments);
        if (operands.Count < 2)
        {
            return Fail(io, $"{tool}: missing destination file operand", 1);
        }

        var recursive = move || flags.Contains('r') || flags.Contains('R') || flags.Contains('a');
        var destination = GuestFileSystem.Combine(session.WorkingDirectory, operands[^1]);
        var destinationIsDirectory = os.Files.DirectoryExists(destination);
        if (operands.Count > 2 && !destinationIsDirectory)
        {
            return Fail(io, $"{tool}: target '{operands[^1]}' is not a directory", 1);
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

    private int Touch(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (_, operands) = SplitOptions(arguments);
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

    private int List(List<string> arguments, CommandIo io, ShellSession session)
    {
        var (_, operands) = SplitOptions(arguments);
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

    private int ChangeDirectory(List<string> arguments, CommandIo io, ShellSession session)
    {
        var target = arguments.FirstOrDefault(a => a != "--") ?? session.Variables.GetValueOrDefault("HOME", "/root");
        var path = GuestFileSystem.Combine(session.WorkingDirectory, target);
        if (!os.Files.DirectoryExists(path))
        {
            return Fail(io, $"bash: cd: {target}: {(os.Files.FileExists(path) ? "Not a directory" : "No such file or directory")}", 1);
        }

        session.WorkingDirectory = path;
        session.Variables["PWD"] = path;
        return 0;
    }
}
