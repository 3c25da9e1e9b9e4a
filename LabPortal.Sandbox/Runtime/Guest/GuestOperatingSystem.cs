namespace LabPortal.Sandbox.Runtime.Guest;

/// <summary>
/// The persistable state of one instance's OS: files, packages and systemd units. Scripts mutate
/// it; the machine reconciles real listeners with <see cref="RunningServices"/> afterwards.
/// </summary>
internal sealed class GuestOperatingSystem
{
    private readonly Lock _lock = new();
    private readonly SortedSet<string> _packages = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _enabled = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _running = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, BackgroundServer> _backgroundServers = [];

    public GuestFileSystem Files { get; } = new();

    public IReadOnlyList<string> InstalledPackages
    {
        get
        {
            lock (_lock)
            {
                return [.. _packages];
            }
        }
    }

    public IReadOnlyList<string> EnabledServices
    {
        get
        {
            lock (_lock)
            {
                return [.. _enabled];
            }
        }
    }

    /// <summary>Running units, then running background servers as their command lines.</summary>
    public IReadOnlyList<string> RunningServices
    {
        get
        {
            lock (_lock)
            {
                return [.. _running, .. _backgroundServers.Values.Select(s => s.CommandLine)];
            }
        }
    }

    public IReadOnlyList<BackgroundServer> BackgroundServers
    {
        get
        {
            lock (_lock)
            {
                return [.. _backgroundServers.Values];
            }
        }
    }

    /// <summary>Starts a background server; false when its port is taken ("Address already in use").</summary>
    public bool StartBackgroundServer(BackgroundServer server)
    {
        lock (_lock)
        {
            if (_backgroundServers.ContainsKey(server.Port) || (server.Port == 80 && _running.Any(PackageCatalog.WebServices.Contains)))
            {
                return false;
            }

            _backgroundServers[server.Port] = server;
            return true;
        }
    }

    /// <summary>Ends every background server (pkill/killall); how many there were.</summary>
    public int KillBackgroundServers()
    {
        lock (_lock)
        {
            var count = _backgroundServers.Count;
            _backgroundServers.Clear();
            return count;
        }
    }

    public bool IsInstalled(string package)
    {
        lock (_lock)
        {
            return _packages.Contains(package);
        }
    }

    /// <summary>Installs a package; false when it was already installed ("Nothing to do").</summary>
    public bool Install(PackageDefinition package)
    {
        lock (_lock)
        {
            if (!_packages.Add(package.Name))
            {
                return false;
            }

            foreach (var directory in package.Directories)
            {
                Files.CreateDirectory(directory, parents: true);
            }

            foreach (var (path, content) in package.Files)
            {
                // A package never overwrites a file the user already wrote (rpm keeps local changes as .rpmnew).
                if (!Files.FileExists(path))
                {
                    Files.WriteFile(path, content, append: false);
                }
            }

            return true;
        }
    }

    public bool Uninstall(string package)
    {
        lock (_lock)
        {
            if (!_packages.Remove(package))
            {
                return false;
            }

            _running.Remove(package);
            _enabled.Remove(package);
            return true;
        }
    }

    /// <summary>Whether systemd knows the unit: an image unit, or one an installed package provides.</summary>
    public bool HasUnit(string unit)
    {
        lock (_lock)
        {
            return PackageCatalog.ImageServices.Contains(unit) || _packages.Contains(unit);
        }
    }

    public bool IsEnabled(string unit)
    {
        lock (_lock)
        {
            return _enabled.Contains(unit) || PackageCatalog.ImageServices.Contains(unit);
        }
    }

    public bool IsRunning(string unit)
    {
        lock (_lock)
        {
            return _running.Contains(unit);
        }
    }

    public bool Enable(string unit)
    {
        lock (_lock)
        {
            return _enabled.Add(unit);
        }
    }

    public bool Disable(string unit)
    {
        lock (_lock)
        {
            return _enabled.Remove(unit);
        }
    }

    /// <summary>
    /// Marks a unit running. Returns the unit already bound to port 80 when a second web server
    /// starts, as nginx fails with "bind() to 0.0.0.0:80 failed (98: Address already in use)".
    /// </summary>
    public string? Start(string unit)
    {
        lock (_lock)
        {
            if (PackageCatalog.WebServices.Contains(unit))
            {
                var holder = _running.FirstOrDefault(r => r != unit && PackageCatalog.WebServices.Contains(r))
                    ?? (_backgroundServers.ContainsKey(80) ? "python3" : null);
                if (holder is not null)
                {
                    return holder;
                }
            }

            if (!PackageCatalog.ImageServices.Contains(unit))
            {
                _running.Add(unit);
            }

            return null;
        }
    }

    public bool Stop(string unit)
    {
        lock (_lock)
        {
            return _running.Remove(unit);
        }
    }

    public void StopAll()
    {
        lock (_lock)
        {
            _running.Clear();
            _backgroundServers.Clear();
        }
    }

    /// <summary>The web server unit running now (at most one can hold port 80), or null.</summary>
    public string? RunningWebServer
    {
        get
        {
            lock (_lock)
            {
                return _running.FirstOrDefault(PackageCatalog.WebServices.Contains);
            }
        }
    }

    public void Restore(MachineState state)
    {
        lock (_lock)
        {
            Files.Restore(state.Files);
            foreach (var package in state.InstalledPackages)
            {
                _packages.Add(package);
                // The package's directories are not in the snapshot (only files are); recreate them.
                foreach (var directory in PackageCatalog.Resolve(package, DebianLayout()).Directories)
                {
                    Files.CreateDirectory(directory, parents: true);
                }
            }

            _enabled.UnionWith(state.EnabledServices);
            foreach (var entry in state.RunningServices)
            {
                if (BackgroundServer.FromCommandLine(entry) is { } server)
                {
                    _backgroundServers[server.Port] = server;
                }
                else
                {
                    _running.Add(entry);
                }
            }
        }
    }

    private bool DebianLayout() => Files.FileExists(PackageCatalog.NginxDebianSite);
}
