namespace LabPortal.Sandbox.Runtime;

// Package managers. Installs take effect at once (no download); the messages follow dnf and apt.
internal sealed partial class ShellInterpreter
{
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
            return Fail(io, $"{tool}: no command given. Usage: {tool} [options] COMMAND", 1);
        }

        var verb = operands[0];
        var packages = operands.Skip(1).ToList();
        switch (verb)
        {
            case "install" or "reinstall" or "localinstall" or "groupinstall":
                return Install(packages, assumeYes, debianLayout: false, io, tool);
            case "update" or "upgrade" or "distro-sync" or "upgrade-minimal":
                // The image is current: nothing to update, so no confirmation is needed either.
                io.WriteLine("Dependencies resolved.");
                io.WriteLine("Nothing to do.");
                io.WriteLine("Complete!");
                return 0;
            case "remove" or "erase" or "autoremove":
                return Uninstall(packages, assumeYes, io);
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
                return Ignored(io, tool + " " + string.Join(' ', arguments));
        }
    }

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
            return Fail(io, $"E: Invalid operation {tool}", 100);
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
                return Install(operands.Skip(1).ToList(), assumeYes, debianLayout: true, io, tool);
            case "remove" or "purge":
                return Uninstall(operands.Skip(1).ToList(), assumeYes, io);
            default:
                return Ignored(io, tool + " " + string.Join(' ', arguments));
        }
    }

    private int AmazonLinuxExtras(List<string> arguments, CommandIo io)
    {
        var assumeYes = arguments.Contains("-y");
        var operands = arguments.Where(a => !a.StartsWith('-')).ToList();
        if (operands.Count > 0 && operands[0] == "install")
        {
            return Install(operands.Skip(1).ToList(), assumeYes, debianLayout: false, io, "yum");
        }

        if (operands.Count > 1 && operands[0] == "enable")
        {
            io.WriteLine($"Now you can install:");
            io.WriteLine($" # yum clean metadata");
            io.WriteLine($" # yum install {string.Join(' ', operands.Skip(1).Select(t => PackageCatalog.Resolve(t, debianLayout: false).Name))}");
            return 0;
        }

        return Ignored(io, "amazon-linux-extras " + string.Join(' ', arguments));
    }

    private int Install(List<string> requested, bool assumeYes, bool debianLayout, CommandIo io, string tool)
    {
        if (requested.Count == 0)
        {
            return Fail(io, tool.StartsWith("apt", StringComparison.Ordinal) ? "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded." : "Error: Need to pass a list of pkgs to install", 1);
        }

        var remote = requested.Where(p => p.Contains("://", StringComparison.Ordinal) || p.EndsWith(".rpm", StringComparison.Ordinal) || p.StartsWith('@')).ToList();
        foreach (var item in remote)
        {
            io.ErrorLine($"[sandbox] ignored (not supported in the sandbox): {tool} install {item}");
        }

        var packages = requested.Except(remote).Select(p => PackageCatalog.Resolve(p, debianLayout)).DistinctBy(p => p.Name).ToList();
        var missing = packages.Where(p => !os.IsInstalled(p.Name)).ToList();
        foreach (var present in packages.Except(missing))
        {
            io.WriteLine(debianLayout ? $"{present.Name} is already the newest version." : $"Package {present.Name} is already installed.");
        }

        if (missing.Count == 0)
        {
            io.WriteLine(debianLayout ? "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded." : "Dependencies resolved.\nNothing to do.\nComplete!");
            return 0;
        }

        if (!assumeYes)
        {
            // No terminal answers the confirmation in user data or SSM, so the install aborts: a
            // classic reason a pasted "yum install nginx" silently leaves an instance without nginx.
            if (debianLayout)
            {
                io.WriteLine($"The following NEW packages will be installed:\n  {string.Join(' ', missing.Select(p => p.Name))}");
                io.WriteLine("Do you want to continue? [Y/n] Abort.");
            }
            else
            {
                io.WriteLine($"Installing:\n {string.Join("\n ", missing.Select(p => p.Name))}");
                io.WriteLine("Is this ok [y/N]: Operation aborted.");
            }

            io.ErrorLine($"[sandbox] nothing was installed: {tool} asked for confirmation and no one could answer; add -y.");
            return 1;
        }

        if (debianLayout)
        {
            foreach (var package in missing)
            {
                os.Install(package);
                io.WriteLine($"Setting up {package.Name} ...");
                // Debian's maintainer scripts enable and start a service right after installing it.
                if (package.Service is { } unit && os.Start(unit) is null)
                {
                    os.Enable(unit);
                }
            }

            return 0;
        }

        io.WriteLine("Dependencies resolved.");
        io.WriteLine("Installing:");
        foreach (var package in missing)
        {
            io.WriteLine($" {package.Name}");
        }

        foreach (var package in missing)
        {
            os.Install(package);
        }

        io.WriteLine("Installed:");
        io.WriteLine("  " + string.Join(' ', missing.Select(p => p.Name)));
        io.WriteLine("Complete!");
        return 0;
    }

    private int Uninstall(List<string> requested, bool assumeYes, CommandIo io)
    {
        var installed = requested.Select(p => PackageCatalog.Resolve(p, debianLayout: false).Name).Where(os.IsInstalled).ToList();
        if (installed.Count == 0)
        {
            io.WriteLine("No match for argument: " + string.Join(' ', requested));
            io.WriteLine("No packages marked for removal.");
            return 0;
        }

        if (!assumeYes)
        {
            io.WriteLine("Is this ok [y/N]: Operation aborted.");
            return 1;
        }

        foreach (var package in installed)
        {
            os.Uninstall(package);
            io.WriteLine($"Removed: {package}");
        }

        return 0;
    }
}
