using System.Diagnostics;
using System.Globalization;

namespace LabPortal.Bench;

/// <summary>
/// N simulated students complete Lab 1 at once on the portal with its embedded sandbox (a
/// <c>portal-host</c> child process), against one student alone in the same run: time to finish,
/// page latency percentiles, and the portal process's CPU time and peak memory.
/// </summary>
internal static class StudentsBenchmark
{
    /// <summary>What one phase measured.</summary>
    private sealed record Phase(string Name, int Students, double WallSeconds, IReadOnlyList<double> StudentSeconds, LatencyLog Log, PortalStats Before, PortalStats After, IReadOnlyList<string> Failures)
    {
        public double CpuSeconds => After.CpuSeconds - Before.CpuSeconds;
    }

    public static async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var directory = BenchEnvironment.NewTempDirectory("students");
        Console.WriteLine($"Starting the portal (sandbox embedded, TimeScale {options.TimeScale}) in a child process ...");
        await using var portal = await PortalProcess.StartAsync(directory, options.TimeScale);
        var code = "BENCH" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        await Lab1Student.CreateClassAsync(portal.Url, code);

        // A first student warms the portal up (JIT, EF model, Hangfire, the sandbox's first account) and is not reported.
        Console.WriteLine("Warm-up: one student completes Lab 1 (not measured) ...");
        var warmUp = await RunPhaseAsync(portal, code, "warm-up", 1);
        Console.WriteLine("Reference: one student alone ...");
        var single = await RunPhaseAsync(portal, code, "single", 1);
        Console.WriteLine($"Load: {options.Students} students at once ...");
        var crowd = await RunPhaseAsync(portal, code, "concurrent", options.Students);

        var inv = CultureInfo.InvariantCulture;
        var phases = new[] { warmUp, single, crowd };
        var rows = phases.Select(p => (IReadOnlyList<string>)
        [
            p.Name,
            p.Students.ToString(inv),
            $"{p.Students - p.Failures.Count}",
            $"{p.WallSeconds:0.0}",
            p.StudentSeconds.Count > 0 ? $"{p.StudentSeconds.Min():0.0} / {BenchReport.Median(p.StudentSeconds):0.0} / {p.StudentSeconds.Max():0.0}" : "-",
            $"{p.Log.Count("page")}",
            $"{p.Log.Percentile("page", 50):0} / {p.Log.Percentile("page", 95):0} / {p.Log.Percentile("page", 99):0}",
            $"{p.Log.Count("fragment")}",
            $"{p.Log.Percentile("fragment", 50):0} / {p.Log.Percentile("fragment", 95):0}",
            $"{p.Log.Count("post")}",
            $"{p.Log.Percentile("post", 50):0} / {p.Log.Percentile("post", 95):0}",
            $"{p.Log.ServerErrors}",
            $"{p.CpuSeconds:0.0}",
            $"{p.CpuSeconds / p.WallSeconds:0.00}",
            $"{p.After.PeakWorkingSetBytes / 1048576.0:0}",
            $"{p.After.PeakGcHeapBytes / 1048576.0:0}",
        ]).ToList();
        var table = new ResultTable(
            "Phases",
            ["phase", "students", "finished", "wall s", "per student s (min / median / max)", "page GETs", "page ms p50 / p95 / p99", "status polls", "poll ms p50 / p95", "form posts", "post ms p50 / p95", "5xx", "portal CPU s", "portal CPU s / wall s", "peak working set MiB", "peak GC heap MiB"],
            rows);

        var clean = crowd.Failures.Count == 0 && crowd.Log.ServerErrors == 0;
        var ratios = new List<Ratio>
        {
            new($"page p95, {options.Students} at once vs one alone", "concurrent", "single", Divide(crowd.Log.Percentile("page", 95), single.Log.Percentile("page", 95)), 0, clean),
            new($"time to finish, all {options.Students} at once vs one alone", "concurrent", "single", Divide(crowd.WallSeconds, single.WallSeconds), 0, clean),
            new($"median student time, {options.Students} at once vs one alone", "concurrent", "single", Divide(BenchReport.Median(crowd.StudentSeconds), single.WallSeconds), 0, clean),
            new($"portal CPU seconds, {options.Students} students vs one", "concurrent", "single", Divide(crowd.CpuSeconds, single.CpuSeconds), 0, clean),
        };

        var notes = new List<string>
        {
            $"The machine's 2 cores were shared with other helpers' builds and tests during the run (load average before {loadBefore}); absolute times are inflated and noisy, the ratios to the single student of the same run mean more.",
            "Each student is a separate cookie jar and HTTP connection pool in the bench process; the portal runs in a child process (this program's portal-host mode: the portal's own Program through WebApplicationFactory on Kestrel), so the portal CPU and memory figures exclude the load generator.",
            "page = GETs of full pages (class join, labs, run, step pages before and after each form, live panel); fragment = the step-status fragment polled every second while a step runs, as htmx does; post = form submissions (join, start, quiz, step actions, Check my progress), whose times include the server's work before its redirect.",
            "Per student time runs from the first GET of the join page to the finish step's teardown succeeding. Peak working set and GC heap are sampled every 250 ms inside the portal process, per phase.",
        };
        foreach (var phase in phases.Where(p => p.Failures.Count > 0))
        {
            notes.Add($"{phase.Name}: {phase.Failures.Count} student(s) did not finish: {string.Join(" | ", phase.Failures.Take(5))}");
        }

        var portalLog = File.Exists(portal.LogPath) ? File.ReadLines(portal.LogPath).Count(l => l.StartsWith("fail:", StringComparison.Ordinal)) : 0;
        notes.Add($"Portal log errors (fail: lines) during the run: {portalLog}; the log is {portal.LogPath}.");

        return new BenchReport(
            "students",
            $"{options.Students} students complete Lab 1 at once on the embedded sandbox vs one student alone",
            started,
            DateTimeOffset.UtcNow,
            MachineInfo.Read(),
            loadBefore,
            MachineInfo.LoadAverage(),
            new Dictionary<string, string>(),
            options,
            new Dictionary<string, string>
            {
                ["students"] = $"{options.Students} concurrent, after a warm-up student and a single-student reference, all in one portal process",
                ["portal"] = $"LabPortal's Program in a child process (portal-host) on {portal.Url}, Production environment, SQLite and Hangfire's SQLite storage in a temp folder, sandbox embedded on free ports, Sandbox:TimeScale {options.TimeScale.ToString(inv)}",
                ["flow"] = "join class, start Lab 1, quiz, security-group, instances, Check my progress (open-instances), target-group, load-balancer, Check my progress until every verify-traffic check passes, live panel page, finish (tear down)",
                ["scratch"] = directory,
            },
            [],
            new Dictionary<string, double>(),
            ratios,
            notes)
        { Tables = [table] };
    }

    private static double Divide(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;

    private static async Task<Phase> RunPhaseAsync(PortalProcess portal, string code, string name, int count)
    {
        var before = await portal.StatsAsync(resetPeaks: true);
        var log = new LatencyLog();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var times = new System.Collections.Concurrent.ConcurrentQueue<double>();
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(1, count).Select(async i =>
        {
            var studentName = $"{name}-{i:00}-{Guid.NewGuid().ToString("N")[..6]}";
            using var driver = new PortalDriver(portal.Url, log);
            var student = new Lab1Student(driver, studentName);
            var watch = Stopwatch.StartNew();
            try
            {
                await student.CompleteAsync(code);
                times.Enqueue(watch.Elapsed.TotalSeconds);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or TaskCanceledException)
            {
                failures.Enqueue($"{studentName}: {e.Message}");
            }
        }));
        wall.Stop();
        var after = await portal.StatsAsync();
        var phase = new Phase(name, count, wall.Elapsed.TotalSeconds, [.. times], log, before, after, [.. failures]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: {count - phase.Failures.Count}/{count} finished in {phase.WallSeconds:0.0} s; page p95 {log.Percentile("page", 95):0} ms; portal CPU {phase.CpuSeconds:0.0} s"));
        foreach (var failure in phase.Failures.Take(3))
        {
            Console.WriteLine("    " + failure);
        }

        return phase;
    }
}
