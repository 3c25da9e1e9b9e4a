using System.Globalization;

namespace LabPortal.Bench;

/// <summary>CPU seconds at one moment: the whole machine's busy time, and this bench process with its browser (every descendant but the portal host).</summary>
internal readonly record struct CpuSample(double MachineBusySeconds, double BenchAndBrowserSeconds)
{
    /// <summary>Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Reads /proc: the machine's busy jiffies (all but idle and iowait), and this process tree's user + system time (with its reaped children's) without <paramref name="portalHostId"/>'s subtree.</summary>
    public static CpuSample Take(int portalHostId)
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var busy = cpu.Sum() - cpu[3] - cpu[4];

        var parents = new Dictionary<int, (int Parent, long Ticks)>();
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
                parents[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended while being read.
            }
        }

        var self = Environment.ProcessId;
        long ours = 0;
        foreach (var (pid, (_, ticks)) in parents)
        {
            // Walk up to this process; skip the portal host and its children.
            for (var at = pid; at > 1 && at != portalHostId && parents.TryGetValue(at, out var up); at = up.Parent)
            {
                if (at == self)
                {
                    ours += ticks;
                    break;
                }
            }
        }

        return new CpuSample(busy / TicksPerSecond, ours / TicksPerSecond);
    }

    public static CpuSample operator -(CpuSample after, CpuSample before) =>
        new(after.MachineBusySeconds - before.MachineBusySeconds, after.BenchAndBrowserSeconds - before.BenchAndBrowserSeconds);
}
