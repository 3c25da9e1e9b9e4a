using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>Installs and removes packages for the package managers: at once (no download), with dnf's or apt's messages.</summary>
internal sealed class PackageInstaller(GuestOperatingSystem os)
{
    public int Install(List<string> requested, bool assumeYes, bool debianLayout, CommandIo io, string tool)
    {
        if (requested.Count == 0)
        {
            return io.Fail(tool.StartsWith("apt", StringComparison.Ordinal) ? "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded." : "Error: Need to pass a list of pkgs to install", 1);
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

    public int Uninstall(List<string> requested, bool assumeYes, CommandIo io)
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
