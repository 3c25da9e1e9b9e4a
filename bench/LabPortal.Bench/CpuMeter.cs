using System.Globalization;

namespace LabPortal.Bench;

/// <summary>CPU seconds at one moment: the whole machine's busy time, and this bench process with its browser (every descendant but the portal host).</summary>
internal readonly record struct CpuSample(double MachineBusySeconds, double BenchAndBrowserSeconds)
{
    /// <summary>Reads /proc: the machine's busy time, and this process tree's CPU time without <paramref name="portalHostId"/>'s subtree.</summary>
    public static CpuSample Take(int portalHostId) => ProcessTable.Read().Sample([portalHostId]);

    public static CpuSample operator -(CpuSample after, CpuSample before) =>
        new(after.MachineBusySeconds - before.MachineBusySeconds, after.BenchAndBrowserSeconds - before.BenchAndBrowserSeconds);
}

/// <summary>
/// One reading of /proc: every process's parent and CPU time (user + system, with its reaped children's), and the
/// machine's busy time. A subtree's total only grows: a child that ends moves its time into its parent's reaped
/// children's time when the parent waits for it (a PostgreSQL backend into the postmaster's).
/// </summary>
internal sealed class ProcessTable
{
    /// <summary>Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    private readonly Dictionary<int, (int Parent, long Ticks)> _processes;

    private ProcessTable(Dictionary<int, (int Parent, long Ticks)> processes, double machineBusySeconds)
    {
        _processes = processes;
        MachineBusySeconds = machineBusySeconds;
    }

    /// <summary>All non-idle CPU time of the machine (/proc/stat: everything but idle and iowait).</summary>
    public double MachineBusySeconds { get; }

    public static ProcessTable Read()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var busy = cpu.Sum() - cpu[3] - cpu[4];

        var processes = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // After the command: state ppid ... utime, stime, and the reaped children's cutime, cstime (indexes 11 to 14 here).
                processes[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended while being read.
            }
        }

        return new ProcessTable(processes, busy / TicksPerSecond);
    }

    /// <summary>CPU seconds of <paramref name="root"/> and all its descendants, without the subtrees of <paramref name="excluded"/>; 0 when it is gone.</summary>
    public double TreeSeconds(int root, IReadOnlyCollection<int>? excluded = null)
    {
        long ticks = 0;
        foreach (var (pid, (_, own)) in _processes)
        {
            // Walk up to the root; stop at an excluded process.
            for (var at = pid; at > 1 && (excluded is null || !excluded.Contains(at)) && _processes.TryGetValue(at, out var up); at = up.Parent)
            {
                if (at == root)
                {
                    ticks += own;
                    break;
                }
            }
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>The machine's busy time and this bench process's tree (Playwright's driver, Chromium) without the subtrees of <paramref name="servers"/>.</summary>
    public CpuSample Sample(IReadOnlyCollection<int> servers) => new(MachineBusySeconds, TreeSeconds(Environment.ProcessId, servers));
}
