using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>pkill</c>, <c>killall</c>, <c>kill</c>: only background web servers are processes the sandbox models.</summary>
internal sealed class KillCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["pkill", "killall", "kill"];

    public int Run(CommandContext context, List<string> arguments)
        => Kill(context.Name, arguments, context.Io);

    private int Kill(string command, List<string> arguments, CommandIo io)
    {
        var text = string.Join(' ', arguments);
        // Only background web servers are processes the sandbox models; "pkill -f http.server",
        // "killall python3" and "pkill python" end them.
        if (command != "kill" && (text.Contains("http.server", StringComparison.Ordinal) || text.Contains("python", StringComparison.Ordinal)))
        {
            return os.KillBackgroundServers() > 0 ? 0 : 1;
        }

        return io.Ignored(command + " " + text);
    }
}
