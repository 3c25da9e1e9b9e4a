using System.Globalization;
using System.Runtime.InteropServices;

namespace LabPortal.Bench;

/// <summary>The machine a run happened on: cores, memory, kernel, .NET, and the load average (the cores are shared).</summary>
internal sealed record MachineInfo(int Cores, long MemoryMiB, string Kernel, string DotNet, string Os, bool ServerGc)
{
    public static MachineInfo Read()
    {
        var memoryKiB = File.ReadLines("/proc/meminfo")
            .Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return new MachineInfo(
            Environment.ProcessorCount,
            memoryKiB / 1024,
            File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            System.Runtime.GCSettings.IsServerGC);
    }

    /// <summary>The 1, 5 and 15 minute load averages as /proc/loadavg gives them.</summary>
    public static string LoadAverage() =>
        string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>
    /// What the load average before a run says about other work on the machine: busy when the one-minute
    /// figure was above half the cores (someone else's builds or tests were running), else quiet.
    /// </summary>
    public static string Sharing(string loadBefore)
    {
        var oneMinute = double.Parse(loadBefore.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        return oneMinute > Environment.ProcessorCount / 2.0
            ? $"The machine's {Environment.ProcessorCount} cores were shared with other work (builds, tests) during the run (load average before {loadBefore})"
            : $"The machine was quiet when the run began (load average before {loadBefore}); its {Environment.ProcessorCount} cores were shared only by this run's own processes";
    }
}
