using LabPortal.Sandbox.Runtime.Shell.Commands;
using LabPortal.Sandbox.Runtime.Shell.Session;
using LabPortal.Sandbox.Runtime.Shell.Syntax;

namespace LabPortal.Sandbox.Runtime.Shell;

/// <summary>
/// Finds what an expanded command line runs: prefixes such as <c>sudo</c>, <c>env</c> and
/// <c>nohup</c> are taken off, then a shell function, a registered command, a script file by
/// path, or (reported as ignored) a program the sandbox does not model.
/// </summary>
internal sealed class CommandDispatcher(ShellCommandTable commands, IScriptRunner shell)
{
    private static readonly string[] CommandDirectories = ["/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/", "/usr/local/bin/"];

    public int Dispatch(List<string> fields, CommandIo io, ShellSession session)
    {
        var args = fields;
        while (args.Count > 0)
        {
            var name = args[0];
            var stripped = CommandDirectories.FirstOrDefault(d => name.StartsWith(d, StringComparison.Ordinal)) is { } dir
                ? name[dir.Length..]
                : name;
            if (stripped != name && stripped.Length > 0 && !stripped.Contains('/', StringComparison.Ordinal))
            {
                args = [stripped, .. args.Skip(1)];
                continue;
            }

            switch (name)
            {
                case "sudo":
                    args = StripSudo(args);
                    if (args.Count == 0)
                    {
                        return RootShell.Continue(io, string.Join(' ', fields));
                    }

                    continue;
                case "nohup" or "time" or "command" or "builtin" or "exec" or "nice" or "stdbuf":
                    args = [.. args.Skip(1).SkipWhile(a => a.StartsWith('-'))];
                    if (args.Count == 0)
                    {
                        return 0;
                    }

                    continue;
                case "env":
                    var rest = args.Skip(1).ToList();
                    while (rest.Count > 0 && rest[0].Contains('=', StringComparison.Ordinal) && ShellParser.IsName(rest[0][..rest[0].IndexOf('=', StringComparison.Ordinal)]))
                    {
                        rest.RemoveAt(0); // the variables matter only to real programs
                    }

                    if (rest.Count == 0)
                    {
                        foreach (var (key, value) in session.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
                        {
                            io.WriteLine($"{key}={value}");
                        }

                        return 0;
                    }

                    args = rest;
                    continue;
                default:
                    break;
            }

            break;
        }

        if (args.Count == 0)
        {
            return 0;
        }

        var command = args[0];
        var arguments = args.Skip(1).ToList();
        if (session.Functions.TryGetValue(command, out var function))
        {
            return shell.CallFunction(function, arguments, io, session);
        }

        try
        {
            if (commands.Find(command) is { } found)
            {
                return found.Run(new CommandContext(command, io, session), arguments);
            }

            return command.Contains('/', StringComparison.Ordinal)
                ? shell.RunScriptFile(command, io, session, asProgram: true)
                : io.Ignored(string.Join(' ', fields));
        }
#pragma warning disable CA1031 // A script must never crash the machine: report and fail the command like a crashing program.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            io.ErrorLine($"[sandbox] {command} failed inside the sandbox: {exception.Message}");
            return 1;
        }
    }

    private static List<string> StripSudo(List<string> args)
    {
        var i = 1;
        while (i < args.Count && args[i].StartsWith('-'))
        {
            if (args[i] == "--")
            {
                i++;
                break;
            }

            // sudo -u user / -g group take a value; -i and -s alone open a root shell.
            i += args[i] is "-u" or "-g" or "-C" or "-h" or "-p" ? 2 : 1;
        }

        var rest = args.Skip(i).ToList();
        // "sudo su", "sudo -i", "sudo bash": a root shell with no command.
        if (rest.Count == 0 || (rest.Count <= 2 && rest[0] is "su" or "bash" or "sh" && rest.Skip(1).All(a => a is "-" or "root" or "-l")))
        {
            return [];
        }

        return rest;
    }
}
