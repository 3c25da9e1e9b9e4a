using System.Globalization;
using System.Text;

namespace LabPortal.Sandbox.Runtime;

internal sealed partial class ShellInterpreter
{
    private static readonly string[] CommandDirectories = ["/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/", "/usr/local/bin/"];

    // Commands that succeed silently and change nothing the sandbox models (permissions, owners,
    // SELinux labels, links): a script that runs them should go on exactly as on a real instance.
    private static readonly HashSet<string> AcceptedSilently = new(StringComparer.Ordinal)
    {
        "chmod", "chown", "chgrp", "ln", "restorecon", "chcon", "setenforce", "sync", "umask", "hash", "ulimit", "alias",
        "wait", "trap", "shopt", "sleep", "usleep",
    };

    private int Dispatch(List<string> fields, CommandIo io, ShellSession session)
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
                        return RootShellNoOp(io, string.Join(' ', fields));
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
            return CallFunction(function, arguments, io, session);
        }

        try
        {
            return command switch
            {
                ":" or "true" => 0,
                "false" => 1,
                "echo" => Echo(arguments, io),
                "printf" => Printf(arguments, io),
                "cat" => Cat(arguments, io, session),
                "tee" => Tee(arguments, io, session),
                "mkdir" => MakeDirectory(arguments, io, session),
                "rm" => Remove(arguments, io, session),
                "rmdir" => RemoveDirectory(arguments, io, session),
                "cp" => Copy(arguments, io, session, move: false),
                "mv" => Copy(arguments, io, session, move: true),
                "touch" => Touch(arguments, io, session),
                "ls" => List(arguments, io, session),
                "cd" => ChangeDirectory(arguments, io, session),
                "pwd" => Line(io, session.WorkingDirectory),
                "export" or "declare" or "typeset" or "readonly" or "local" => Export(arguments, session),
                "unset" => Unset(arguments, session),
                "set" => Set(arguments, session),
                "exit" => Exit(arguments, session),
                "return" => session.FunctionDepth > 0 ? Return(arguments, session) : Exit(arguments, session),
                "shift" => Shift(arguments, session),
                "break" => LoopControl(arguments, session, breaking: true),
                "continue" => LoopControl(arguments, session, breaking: false),
                "hostname" => Hostname(arguments, io),
                "whoami" => Line(io, "root"),
                "id" => Line(io, "uid=0(root) gid=0(root) groups=0(root)"),
                "date" => Date(arguments, io),
                "uname" => Uname(arguments, io),
                "test" => Test(arguments, io),
                "[" => arguments.Count > 0 && arguments[^1] == "]" ? Test(arguments[..^1], io) : Fail(io, "bash: [: missing `]'", 2),
                "[[" => arguments.Count > 0 && arguments[^1] == "]]" ? Test(arguments[..^1], io) : Fail(io, "bash: syntax error in conditional expression", 2),
                "curl" => Curl(arguments, io, session),
                "wget" => Wget(arguments, io, session),
                "ec2-metadata" => Ec2Metadata(arguments, io),
                "yum" or "dnf" => Yum(command, arguments, io),
                "apt-get" or "apt" => AptGet(command, arguments, io),
                "amazon-linux-extras" => AmazonLinuxExtras(arguments, io),
                "systemctl" => Systemctl(arguments, io),
                "service" => Service(arguments, io),
                "chkconfig" => Chkconfig(arguments, io),
                "bash" or "sh" => Bash(arguments, io, session),
                "source" or "." => Source(arguments, io, session),
                "su" => Su(arguments, io, session),
                "sed" => Sed(arguments, io, session),
                "python3" or "python" or "python2" => Python(command, arguments, io, session),
                "pkill" or "killall" or "kill" => Kill(command, arguments, io),
                "cut" => Cut(arguments, io, session),
                "awk" or "gawk" => Awk(arguments, io, session),
                "grep" or "egrep" => Grep(arguments, io, session),
                "head" or "tail" => HeadOrTail(command, arguments, io, session),
                "tr" => Translate(arguments, io),
                "wc" => WordCount(arguments, io, session),
                _ when AcceptedSilently.Contains(command) => 0,
                _ when command.Contains('/', StringComparison.Ordinal) => RunScriptFile(command, io, session, asProgram: true),
                _ => Ignored(io, string.Join(' ', fields)),
            };
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

    private static int RootShellNoOp(CommandIo io, string text)
    {
        // In cloud-init and SSM the script already runs as root, and an interactive root shell
        // started without a terminal reads no input and exits at once; the script goes on.
        io.ErrorLine($"[sandbox] {text}: the script already runs as root; it continues as root.");
        return 0;
    }

    private static int Ignored(CommandIo io, string text)
    {
        io.ErrorLine($"[sandbox] ignored (not supported in the sandbox): {text}");
        return 0;
    }

    private static int Line(CommandIo io, string text)
    {
        io.WriteLine(text);
        return 0;
    }

    private static int Fail(CommandIo io, string message, int status)
    {
        io.ErrorLine(message);
        return status;
    }

    private static int Echo(List<string> arguments, CommandIo io)
    {
        var newline = true;
        var escapes = false;
        var i = 0;
        while (i < arguments.Count && arguments[i].Length > 1 && arguments[i][0] == '-' && arguments[i].Skip(1).All(c => c is 'n' or 'e' or 'E'))
        {
            newline &= !arguments[i].Contains('n', StringComparison.Ordinal);
            escapes = arguments[i].Contains('e', StringComparison.Ordinal) || (escapes && !arguments[i].Contains('E', StringComparison.Ordinal));
            i++;
        }

        var text = string.Join(' ', arguments.Skip(i));
        io.Out.Append(escapes ? Unescape(text) : text);
        if (newline)
        {
            io.Out.Append('\n');
        }

        return 0;
    }

    private static int Printf(List<string> arguments, CommandIo io)
    {
        if (arguments.Count == 0)
        {
            return Fail(io, "printf: usage: printf [-v var] format [arguments]", 2);
        }

        var format = Unescape(arguments[0]);
        var values = arguments.Skip(1).ToList();
        var next = 0;
        do
        {
            var builder = new StringBuilder();
            for (var i = 0; i < format.Length; i++)
            {
                if (format[i] != '%' || i + 1 >= format.Length)
                {
                    builder.Append(format[i]);
                    continue;
                }

                // %[-][0][width]directive: the value is padded to the width, left-aligned with "-".
                var j = i + 1;
                var leftAlign = false;
                var zeroPad = false;
                while (j < format.Length && format[j] is '-' or '0' or '+' or ' ' or '#')
                {
                    leftAlign |= format[j] == '-';
                    zeroPad |= format[j] == '0';
                    j++;
                }

                var widthStart = j;
                while (j < format.Length && char.IsAsciiDigit(format[j]))
                {
                    j++;
                }

                var width = j > widthStart ? int.Parse(format.AsSpan(widthStart, j - widthStart), CultureInfo.InvariantCulture) : 0;
                if (j < format.Length && format[j] == '.')
                {
                    j++;
                    while (j < format.Length && char.IsAsciiDigit(format[j]))
                    {
                        j++; // precision: not modelled
                    }
                }

                if (j >= format.Length)
                {
                    builder.Append(format[i..]);
                    break;
                }

                var directive = format[j];
                i = j;
                var value = directive switch
                {
                    '%' => "%",
                    'd' or 'i' => (next < values.Count && long.TryParse(values[next++], CultureInfo.InvariantCulture, out var number) ? number : 0)
                        .ToString(CultureInfo.InvariantCulture),
                    'b' => next < values.Count ? Unescape(values[next++]) : "",
                    _ => next < values.Count ? values[next++] : "",
                };
                builder.Append(leftAlign ? value.PadRight(width) : value.PadLeft(width, zeroPad && directive is 'd' or 'i' ? '0' : ' '));
            }

            io.Out.Append(builder);
        }
        while (next > 0 && next < values.Count);

        return 0;
    }

    private static string Unescape(string text)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                builder.Append(text[i]);
                continue;
            }

            var c = text[++i];
            builder.Append(c switch
            {
                'n' => "\n",
                't' => "\t",
                'r' => "\r",
                '\\' => "\\",
                '"' => "\"",
                'a' => "\a",
                'e' => "\u001b",
                '0' => "",
                _ => "\\" + c,
            });
        }

        return builder.ToString();
    }

    private static int Export(List<string> arguments, ShellSession session)
    {
        foreach (var argument in arguments.Where(a => !a.StartsWith('-')))
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && ShellParser.IsName(argument[..equals]))
            {
                session.Variables[argument[..equals]] = argument[(equals + 1)..];
            }
        }

        return 0;
    }

    private static int Unset(List<string> arguments, ShellSession session)
    {
        foreach (var argument in arguments.Where(a => !a.StartsWith('-')))
        {
            session.Variables.Remove(argument);
        }

        return 0;
    }

    private static int Set(List<string> arguments, ShellSession session)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument == "--" || argument.Length < 2 || argument[0] is not ('-' or '+'))
            {
                // "set -- a b" (or "set a b") replaces the positional parameters.
                session.Positional = [.. arguments.Skip(argument == "--" ? i + 1 : i)];
                break;
            }

            var on = argument[0] == '-';
            for (var j = 1; j < argument.Length; j++)
            {
                switch (argument[j])
                {
                    case 'e':
                        session.ErrExit = on;
                        break;
                    case 'x':
                        session.XTrace = on;
                        break;
                    case 'o' when i + 1 < arguments.Count:
                        var option = arguments[++i];
                        if (option == "errexit")
                        {
                            session.ErrExit = on;
                        }
                        else if (option == "xtrace")
                        {
                            session.XTrace = on;
                        }
                        else if (option == "pipefail")
                        {
                            session.PipeFail = on;
                        }

                        break;
                    default:
                        break; // -u, -v, -o nounset ...: accepted; the subset does not model them.
                }
            }
        }

        return 0;
    }

    private static int Exit(List<string> arguments, ShellSession session)
    {
        var status = arguments.Count > 0 && int.TryParse(arguments[0], CultureInfo.InvariantCulture, out var code)
            ? code & 0xFF
            : session.LastStatus;
        session.LastStatus = status;
        session.Exited = true;
        return status;
    }

    private static int Return(List<string> arguments, ShellSession session)
    {
        var status = arguments.Count > 0 && int.TryParse(arguments[0], CultureInfo.InvariantCulture, out var code) ? code & 0xFF : session.LastStatus;
        session.LastStatus = status;
        session.Returning = true;
        return status;
    }

    private static int Shift(List<string> arguments, ShellSession session)
    {
        var count = arguments.Count > 0 && int.TryParse(arguments[0], CultureInfo.InvariantCulture, out var n) ? n : 1;
        if (count > session.Positional.Count)
        {
            return 1;
        }

        session.Positional = [.. session.Positional.Skip(count)];
        return 0;
    }

    private static int LoopControl(List<string> arguments, ShellSession session, bool breaking)
    {
        if (breaking)
        {
            session.PendingBreaks = arguments.Count > 0 && int.TryParse(arguments[0], CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        }
        else
        {
            session.PendingContinue = true;
        }

        return 0;
    }

    private int Hostname(List<string> arguments, CommandIo io)
    {
        var option = arguments.FirstOrDefault(a => a.StartsWith('-'));
        var value = arguments.FirstOrDefault(a => !a.StartsWith('-'));
        if (value is not null)
        {
            return Ignored(io, "hostname " + string.Join(' ', arguments));
        }

        return Line(io, option switch
        {
            "-s" or "--short" => _metadata.LocalHostname.Split('.')[0],
            "-i" or "--ip-address" => _metadata.LocalIpv4,
            "-I" or "--all-ip-addresses" => _metadata.LocalIpv4 + " ",
            "-d" or "--domain" => string.Join('.', _metadata.LocalHostname.Split('.').Skip(1)),
            _ => _metadata.LocalHostname, // Amazon Linux sets the FQDN (ip-172-31-...compute.internal) as the hostname.
        });
    }

    private int Date(List<string> arguments, CommandIo io)
    {
        var now = timeProvider.GetUtcNow();
        var format = arguments.FirstOrDefault(a => a.StartsWith('+'));
        if (format is null)
        {
            return Line(io, now.ToString("ddd MMM d HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture));
        }

        var builder = new StringBuilder();
        for (var i = 1; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                builder.Append(format[i]);
                continue;
            }

            builder.Append(format[++i] switch
            {
                'Y' => now.ToString("yyyy", CultureInfo.InvariantCulture),
                'm' => now.ToString("MM", CultureInfo.InvariantCulture),
                'd' => now.ToString("dd", CultureInfo.InvariantCulture),
                'H' => now.ToString("HH", CultureInfo.InvariantCulture),
                'M' => now.ToString("mm", CultureInfo.InvariantCulture),
                'S' => now.ToString("ss", CultureInfo.InvariantCulture),
                'F' => now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                'T' => now.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                's' => now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                'Z' => "UTC",
                '%' => "%",
                var other => "%" + other,
            });
        }

        return Line(io, builder.ToString());
    }

    private int Uname(List<string> arguments, CommandIo io)
    {
        const string Kernel = "6.1.0-sandbox.amzn2023.x86_64";
        return Line(io, arguments.FirstOrDefault() switch
        {
            "-a" => $"Linux {_metadata.LocalHostname} {Kernel} #1 SMP x86_64 x86_64 x86_64 GNU/Linux",
            "-r" => Kernel,
            "-m" or "-p" or "-i" => "x86_64",
            "-n" => _metadata.LocalHostname,
            _ => "Linux",
        });
    }

    private int Test(List<string> arguments, CommandIo io)
    {
        var negate = false;
        var args = arguments;
        if (args.Count > 0 && args[0] == "!")
        {
            negate = true;
            args = args[1..];
        }

        bool? result = args.Count switch
        {
            0 => false,
            1 => args[0].Length > 0,
            2 => args[0] switch
            {
                "-f" => os.Files.FileExists(GuestFileSystem.Combine("/", args[1])),
                "-d" => os.Files.DirectoryExists(GuestFileSystem.Combine("/", args[1])),
                "-e" or "-a" => os.Files.FileExists(GuestFileSystem.Combine("/", args[1])) || os.Files.DirectoryExists(GuestFileSystem.Combine("/", args[1])),
                "-s" => os.Files.ReadFile(GuestFileSystem.Combine("/", args[1])) is { Length: > 0 },
                "-z" => args[1].Length == 0,
                "-n" => args[1].Length > 0,
                "-x" or "-r" or "-w" => os.Files.FileExists(GuestFileSystem.Combine("/", args[1])),
                _ => null,
            },
            3 => args[1] switch
            {
                "=" or "==" => string.Equals(args[0], args[2], StringComparison.Ordinal),
                "!=" => !string.Equals(args[0], args[2], StringComparison.Ordinal),
                "-eq" or "-ne" or "-lt" or "-le" or "-gt" or "-ge" => CompareNumbers(args[0], args[1], args[2]),
                _ => null,
            },
            _ => null,
        };

        if (result is null)
        {
            return Ignored(io, "test " + string.Join(' ', arguments)) + 2;
        }

        return result.Value ^ negate ? 0 : 1;
    }

    private static bool? CompareNumbers(string left, string op, string right)
    {
        if (!long.TryParse(left, CultureInfo.InvariantCulture, out var a) || !long.TryParse(right, CultureInfo.InvariantCulture, out var b))
        {
            return null;
        }

        return op switch
        {
            "-eq" => a == b,
            "-ne" => a != b,
            "-lt" => a < b,
            "-le" => a <= b,
            "-gt" => a > b,
            _ => a >= b,
        };
    }

    private int Bash(List<string> arguments, CommandIo io, ShellSession session)
    {
        var i = 0;
        while (i < arguments.Count && arguments[i].StartsWith('-') && arguments[i] != "-c")
        {
            i++;
        }

        if (i < arguments.Count && arguments[i] == "-c")
        {
            return i + 1 < arguments.Count ? RunChildScript(arguments[i + 1], io, session, sameShell: false) : Fail(io, "bash: -c: option requires an argument", 2);
        }

        if (i < arguments.Count)
        {
            return RunScriptFile(arguments[i], io, session, asProgram: false);
        }

        // "curl ... | bash": the script arrives on standard input.
        return io.StandardInput.Length > 0 ? RunChildScript(io.StandardInput, io, session, sameShell: false) : RootShellNoOp(io, "bash");
    }

    private int Source(List<string> arguments, CommandIo io, ShellSession session)
    {
        if (arguments.Count == 0)
        {
            return Fail(io, "bash: source: filename argument required", 2);
        }

        var path = GuestFileSystem.Combine(session.WorkingDirectory, arguments[0]);
        return os.Files.ReadFile(path) is { } script
            ? RunChildScript(script, io, session, sameShell: true)
            : Fail(io, $"bash: {arguments[0]}: No such file or directory", 1);
    }

    private int Su(List<string> arguments, CommandIo io, ShellSession session)
    {
        var c = arguments.IndexOf("-c");
        return c >= 0 && c + 1 < arguments.Count
            ? RunChildScript(arguments[c + 1], io, session, sameShell: false)
            : RootShellNoOp(io, "su " + string.Join(' ', arguments));
    }

    private int RunScriptFile(string name, CommandIo io, ShellSession session, bool asProgram)
    {
        var path = GuestFileSystem.Combine(session.WorkingDirectory, name);
        if (os.Files.ReadFile(path) is { } script)
        {
            return RunChildScript(script, io, session, sameShell: false);
        }

        if (asProgram && name.StartsWith('/'))
        {
            // A program of the image the sandbox does not model (/usr/local/bin/foo ...).
            return os.Files.DirectoryExists(path) ? Fail(io, $"bash: {name}: Is a directory", 126) : Ignored(io, name);
        }

        return Fail(io, $"bash: {name}: No such file or directory", 127);
    }
}
