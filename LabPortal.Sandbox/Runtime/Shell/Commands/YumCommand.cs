using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>yum</c> and <c>dnf</c>: install, update, remove, list installed; messages follow dnf.</summary>
internal sealed class YumCommand(GuestOperatingSystem os, PackageInstaller installer) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["yum", "dnf"];

    public int Run(CommandContext context, List<string> arguments)
        => Yum(context.Name, arguments, context.Io);

    private int Yum(string tool, List<string> arguments, CommandIo io)
    {
        var assumeYes = arguments.Any(a => a is "-y" or "--assumeyes" || (a.StartsWith('-') && !a.StartsWith("--", StringComparison.Ordinal) && a.Contains('y', StringComparison.Ordinal)));
        if (arguments.Any(a => a is "-q" or "--quiet" || (a.StartsWith('-') && !a.StartsWith("--", StringComparison.Ordinal) && a.Contains('q', StringComparison.Ordinal))))
        {
            io = new QuietIo(io); // -q keeps errors and drops progress output
        }

        var operands = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            // Options that take a value as the next argument.
            if (arguments[i] is "-e" or "-d" or "--setopt" or "--enablerepo" or "--disablerepo" or "--releasever" or "-c")
            {
                i++;
            }
            else if (!arguments[i].StartsWith('-'))
            {
                operands.Add(arguments[i]);
            }
        }

        if (operands.Count == 0)
        {
            return io.Fail($"{tool}: no command given. Usage: {tool} [options] COMMAND", 1);
        }

        var verb = operands[0];
        var packages = operands.Skip(1).ToList();
        switch (verb)
        {
            case "install" or "reinstall" or "localinstall" or "groupinstall":
                return installer.Install(packages, assumeYes, debianLayout: false, io, tool);
            case "update" or "upgrade" or "distro-sync" or "upgrade-minimal":
                // The image is current: nothing to update, so no confirmation is needed either.
                io.WriteLine("Dependencies resolved.");
                io.WriteLine("Nothing to do.");
                io.WriteLine("Complete!");
                return 0;
            case "remove" or "erase" or "autoremove":
                return installer.Uninstall(packages, assumeYes, io);
            case "clean" or "makecache" or "check-update" or "repolist":
                io.WriteLine(verb == "clean" ? "0 files removed" : "Metadata cache created.");
                return 0;
            case "list" when packages.Count > 0 && packages[0] == "installed":
                foreach (var package in os.InstalledPackages)
                {
                    io.WriteLine(package);
                }

                return 0;
            default:
                return io.Ignored(tool + " " + string.Join(' ', arguments));
        }
    }
}
