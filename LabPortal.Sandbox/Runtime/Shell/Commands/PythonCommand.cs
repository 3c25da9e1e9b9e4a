using System.Globalization;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>python3 -m http.server 80 &amp;</c>: the quick web server of many tutorials. Other Python is ignored.</summary>
internal sealed class PythonCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["python3", "python", "python2"];

    public int Run(CommandContext context, List<string> arguments)
        => Python(context.Name, arguments, context.Io, context.Session);

    private int Python(string command, List<string> arguments, CommandIo io, ShellSession session)
    {
        var module = arguments.IndexOf("-m");
        if (module < 0 || module + 1 >= arguments.Count || arguments[module + 1] is not ("http.server" or "SimpleHTTPServer"))
        {
            return io.Ignored(command + " " + string.Join(' ', arguments));
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
            return io.Fail("OverflowError: bind(): port must be 0-65535.", 1);
        }

        if (!os.Files.DirectoryExists(directory))
        {
            return io.Fail($"FileNotFoundError: [Errno 2] No such file or directory: '{directory}'", 1);
        }

        if (!os.StartBackgroundServer(new BackgroundServer(port, directory)))
        {
            return io.Fail("OSError: [Errno 98] Address already in use", 1);
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
}
