using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>apt-get</c> and <c>apt</c>: update, upgrade, install, remove; messages follow apt.</summary>
internal sealed class AptGetCommand(PackageInstaller installer) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["apt-get", "apt"];

    public int Run(CommandContext context, List<string> arguments)
        => AptGet(context.Name, arguments, context.Io);

    private int AptGet(string tool, List<string> arguments, CommandIo io)
    {
        var assumeYes = arguments.Any(a => a is "-y" or "--yes" or "--assume-yes" || (a.StartsWith('-') && !a.StartsWith("--", StringComparison.Ordinal) && a.Contains('y', StringComparison.Ordinal)));
        if (arguments.Any(a => a is "-q" or "-qq" or "--quiet" or "-qy" or "-yq"))
        {
            io = new QuietIo(io); // -q keeps errors and drops progress output
        }

        // "-o Dpkg::Options::=--force-confold" and "-t release" take a value.
        var operands = arguments.Where((a, i) => !a.StartsWith('-') && (i == 0 || arguments[i - 1] is not ("-o" or "-t" or "-c"))).ToList();
        if (operands.Count == 0)
        {
            return io.Fail($"E: Invalid operation {tool}", 100);
        }

        switch (operands[0])
        {
            case "update":
                io.WriteLine("Hit:1 http://archive.ubuntu.com/ubuntu noble InRelease");
                io.WriteLine("Reading package lists... Done");
                return 0;
            case "upgrade" or "dist-upgrade" or "full-upgrade":
                io.WriteLine("Reading package lists... Done");
                io.WriteLine("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.");
                return 0;
            case "install":
                io.WriteLine("Reading package lists... Done");
                return installer.Install(operands.Skip(1).ToList(), assumeYes, debianLayout: true, io, tool);
            case "remove" or "purge":
                return installer.Uninstall(operands.Skip(1).ToList(), assumeYes, io);
            default:
                return io.Ignored(tool + " " + string.Join(' ', arguments));
        }
    }
}
