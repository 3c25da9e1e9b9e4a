using System.Diagnostics;
using System.Globalization;

namespace LabPortal.Bench;

/// <summary>
/// Cleans up after a bench that ended in any way: <c>timeout</c> or Ctrl+C ends it without running its disposals, and a
/// server it started (PostgreSQL daemonizes; the standalone sandbox and nginx are re-parented) would run on. A small shell
/// loop in a session of its own checks once a second that this process still lives, then runs the stop command.
/// </summary>
internal static class Watchdog
{
    /// <summary>Runs <paramref name="stopCommand"/> (a shell command) once this process has ended; with <paramref name="whilePid"/>, only if that process still lives then (the loop ends by itself when it is gone first).</summary>
    public static void StopWhenBenchEnds(string stopCommand, int? whilePid = null)
    {
        var bench = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var alsoAlive = whilePid is { } pid ? $" && kill -0 {pid.ToString(CultureInfo.InvariantCulture)}" : "";
        var script = $"exec </dev/null >/dev/null 2>&1; while kill -0 {bench}{alsoAlive}; do sleep 1; done; kill -0 {bench} || {{ {stopCommand}; }}";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in new[] { "sh", "-c", script })
        {
            start.ArgumentList.Add(argument);
        }

        using var watchdog = Process.Start(start) ?? throw new InvalidOperationException("setsid did not start a watchdog.");
    }
}
