using System.Globalization;

namespace LabPortal.Sandbox.Runtime;

// "python3 -m http.server 80 &": the quick web server of many tutorials. Other Python is ignored.
internal sealed partial class ShellInterpreter
{
    private int Python(string command, List<string> arguments, CommandIo io, ShellSession session)
    {
        var module = arguments.IndexOf("-m");
        if (module < 0 || module + 1 >= arguments.Count || arguments[module + 1] is not ("http.server" or "SimpleHTTPServer"))
        {
            return Ignored(io, command + " " + string.Join(' ', arguments));
        }

        var port = 8000;
        var directory = session.WorkingDirectory;
        var rest = arguments.Skip(module + 2).ToList();
        for (var i = 0; i < rest.Count; i++)
        {
            if (rest[i] is "--directory" or "-d" && i + 1 < rest.Count)
            {
                directory = GuestFileSystem.Combine(session.WorkingDirectory, rest[++i]);
            }
            else if (rest[i] is "--bind" or "-b" && i + 1 < rest.Count)
            {
                i++; // every address of the instance is the same listener here
            }
            else if (int.TryParse(rest[i], CultureInfo.InvariantCulture, out var number))
            {
                port = number;
            }
        }

        if (port is < 1 or > 65535)
        {
            return Fail(io, "OverflowError: bind(): port must be 0-65535.", 1);
        }

        if (!os.Files.DirectoryExists(directory))
        {
            return Fail(io, $"FileNotFoundError: [Errno 2] No such file or directory: '{directory}'", 1);
        }

        if (!os.StartBackgroundServer(new BackgroundServer(port, directory)))
        {
            return Fail(io, "OSError: [Errno 98] Address already in use", 1);
        }

        if (!session.InBackground)
        {
            // In the foreground the server never returns: the rest of the script would wait forever.
            io.ErrorLine($"Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ...");
            io.ErrorLine("[sandbox] the server runs in the foreground, so the rest of the script never runs; end the line with & to go on.");
            session.Exited = true;
        }

        return 0;
    }

    private int Kill(string command, List<string> arguments, CommandIo io)
    {
        var text = string.Join(' ', arguments);
        // Only background web servers are processes the sandbox models; "pkill -f http.server",
        // "killall python3" and "pkill python" end them.
        if (command != "kill" && (text.Contains("http.server", StringComparison.Ordinal) || text.Contains("python", StringComparison.Ordinal)))
        {
            return os.KillBackgroundServers() > 0 ? 0 : 1;
        }

        return Ignored(io, command + " " + text);
    }
}
