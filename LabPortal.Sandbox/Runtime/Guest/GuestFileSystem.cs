namespace LabPortal.Sandbox.Runtime.Guest;

/// <summary>
/// The instance's file system: text files and directories, with absolute normalized paths.
/// Every member takes the lock, because the web server reads files while scripts write them.
/// </summary>
internal sealed class GuestFileSystem
{
    // What a fresh Amazon Linux 2023 image has, so "echo > /var/www/html/index.html" fails before
    // httpd is installed (bash: No such file or directory), exactly the ordering mistake students make.
    private static readonly string[] ImageDirectories =
    [
        "/", "/bin", "/boot", "/dev", "/etc", "/etc/systemd", "/etc/systemd/system", "/etc/yum.repos.d", "/home",
        "/home/ec2-user", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/usr/bin",
        "/usr/lib", "/usr/lib/systemd", "/usr/lib/systemd/system", "/usr/local", "/usr/local/bin", "/usr/sbin",
        "/usr/share", "/var", "/var/cache", "/var/lib", "/var/lib/cloud", "/var/log", "/var/tmp",
    ];

    // Caps that keep a runaway script from exhausting the host (the state is also persisted):
    // bash would report EFBIG "File too large" and ENOSPC "No space left on device".
    internal const int MaxFileLength = 1024 * 1024;
    internal const long MaxTotalLength = 16L * 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(ImageDirectories, StringComparer.Ordinal);
    private long _totalLength;

    public static string Combine(string workingDirectory, string path)
    {
        var full = path.StartsWith('/') ? path : workingDirectory.TrimEnd('/') + "/" + path;
        var segments = new List<string>();
        foreach (var segment in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        return "/" + string.Join('/', segments);
    }

    public static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    public static string NameOf(string path) => path[(path.LastIndexOf('/') + 1)..];

    public bool FileExists(string path)
    {
        lock (_lock)
        {
            return _files.ContainsKey(path);
        }
    }

    public bool DirectoryExists(string path)
    {
        lock (_lock)
        {
            return _directories.Contains(path);
        }
    }

    public string? ReadFile(string path)
    {
        lock (_lock)
        {
            return _files.GetValueOrDefault(path);
        }
    }

    /// <summary>Writes or appends; null on success, else bash's reason ("No such file or directory", "Is a directory").</summary>
    public string? WriteFile(string path, string content, bool append)
    {
        lock (_lock)
        {
            if (_directories.Contains(path))
            {
                return "Is a directory";
            }

            if (!_directories.Contains(ParentOf(path)))
            {
                return _files.ContainsKey(ParentOf(path)) ? "Not a directory" : "No such file or directory";
            }

            var existing = _files.GetValueOrDefault(path);
            var length = (append ? existing?.Length ?? 0 : 0) + content.Length;
            if (length > MaxFileLength)
            {
                return "File too large";
            }

            if (_totalLength - (existing?.Length ?? 0) + length > MaxTotalLength)
            {
                return "No space left on device";
            }

            _totalLength += length - (existing?.Length ?? 0);
            _files[path] = append && existing is not null ? existing + content : content;
            return null;
        }
    }

    /// <summary>Creates a directory; null on success, else mkdir's reason.</summary>
    public string? CreateDirectory(string path, bool parents)
    {
        lock (_lock)
        {
            if (_directories.Contains(path))
            {
                return parents ? null : "File exists";
            }

            if (_files.ContainsKey(path))
            {
                return "File exists";
            }

            var parent = ParentOf(path);
            if (!_directories.Contains(parent))
            {
                if (!parents)
                {
                    return "No such file or directory";
                }

                var error = CreateDirectory(parent, parents: true);
                if (error is not null)
                {
                    return error;
                }
            }

            _directories.Add(path);
            return null;
        }
    }

    /// <summary>Removes a file, or a directory tree when <paramref name="recursive"/>; null on success, else rm's reason.</summary>
    public string? Remove(string path, bool recursive)
    {
        lock (_lock)
        {
            if (_files.Remove(path, out var removed))
            {
                _totalLength -= removed.Length;
                return null;
            }

            if (!_directories.Contains(path))
            {
                return "No such file or directory";
            }

            if (!recursive)
            {
                return "Is a directory";
            }

            var prefix = path == "/" ? "/" : path + "/";
            foreach (var file in _files.Keys.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _files.Remove(file, out var content);
                _totalLength -= content!.Length;
            }

            _directories.RemoveWhere(d => d == path || d.StartsWith(prefix, StringComparison.Ordinal));
            _directories.Add("/");
            return null;
        }
    }

    /// <summary>The names directly inside a directory, sorted (null when it is not a directory).</summary>
    public IReadOnlyList<string>? List(string path)
    {
        lock (_lock)
        {
            if (!_directories.Contains(path))
            {
                return null;
            }

            var prefix = path == "/" ? "/" : path + "/";
            return _files.Keys.Concat(_directories)
                .Where(p => p.Length > prefix.Length && p.StartsWith(prefix, StringComparison.Ordinal) && p.IndexOf('/', prefix.Length) < 0)
                .Select(p => p[prefix.Length..])
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>Every file under a directory, keyed by full path (for <c>cp -r</c>).</summary>
    public IReadOnlyDictionary<string, string> FilesUnder(string path)
    {
        lock (_lock)
        {
            var prefix = path == "/" ? "/" : path + "/";
            return _files.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
        }
    }

    public IReadOnlyDictionary<string, string> SnapshotFiles()
    {
        lock (_lock)
        {
            return new SortedDictionary<string, string>(_files, StringComparer.Ordinal);
        }
    }

    /// <summary>Restores persisted files; their directories are recreated from the paths.</summary>
    public void Restore(IReadOnlyDictionary<string, string> files)
    {
        lock (_lock)
        {
            foreach (var (path, content) in files)
            {
                var normalized = Combine("/", path);
                for (var parent = ParentOf(normalized); parent != "/"; parent = ParentOf(parent))
                {
                    _directories.Add(parent);
                }

                _totalLength += content.Length - (_files.GetValueOrDefault(normalized)?.Length ?? 0);
                _files[normalized] = content;
            }
        }
    }
}
