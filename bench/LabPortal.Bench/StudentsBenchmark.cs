using System.Globalization;
using Microsoft.Playwright;

namespace LabPortal.Bench;

/// <summary>
/// N students complete Lab 1 at once, each in a real Chromium page on the interactive wizard, on the
/// portal with its embedded sandbox (a <c>portal-host</c> child process), against one student alone in
/// the same run: every interaction's time from the press until the page shows the outcome, time to
/// finish, and the portal process's CPU time and peak memory.
/// </summary>
internal static class StudentsBenchmark
{
    /// <summary>What one phase measured.</summary>
    internal sealed record Phase(string Name, int Students, CrowdResult Crowd, PortalStats Before, PortalStats After, CpuSample Cpu)
    {
        public double WallSeconds => Crowd.WallSeconds;

        public IReadOnlyList<double> StudentSeconds => Crowd.StudentSeconds;

        public InteractionLog Log => Crowd.Log;

        public IReadOnlyList<string> Failures => Crowd.Failures;

        public InteractionLog Documents => Crowd.Documents;

        public double CpuSeconds => After.CpuSeconds - Before.CpuSeconds;

        public double PageOnly(double p) => Crowd.PageOnly(p);
    }

    public static async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var directory = BenchEnvironment.NewTempDirectory("students");
        Console.WriteLine($"Starting the portal (sandbox embedded, TimeScale {options.TimeScale}) in a child process ...");
        await using var portal = await PortalProcess.StartAsync(directory, options.TimeScale);
        var code = "BENCH" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        using (var instructor = new PortalDriver(portal.Url))
        {
            await instructor.CreateClassAsync(code);
        }

        var (playwright, browser) = await Chromium.LaunchAsync(options.BrowserIdle);
        Phase warmUp, single, crowd;
        try
        {
            // A first student warms the portal up (JIT, EF model, Hangfire, the sandbox's first account, Chromium) and is not reported in the ratios.
            Console.WriteLine("Warm-up: one student completes Lab 1 (not measured) ...");
            warmUp = await RunPhaseAsync(portal, browser, code, "warm-up", 1, TimeSpan.Zero);
            Console.WriteLine("Reference: one student alone ...");
            var think = TimeSpan.FromSeconds(options.ThinkSeconds);
            single = await RunPhaseAsync(portal, browser, code, "single", 1, think);
            Console.WriteLine($"Load: {options.Students} students at once ...");
            crowd = await RunPhaseAsync(portal, browser, code, "concurrent", options.Students, think);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }

        var inv = CultureInfo.InvariantCulture;
        var phases = new[] { warmUp, single, crowd };
        var table = new ResultTable(
            "Phases",
            ["phase", "students", "finished", "wall s", "per student s (min / median / max)", "interactions", "interaction ms p50 / p95 / p99", "page-only ms p50 / p95", "portal CPU s", "portal CPU s / wall s", "bench + Chromium CPU s / wall s", "machine busy cores (all processes)", "peak working set MiB", "peak GC heap MiB", "thread pool: peak threads / peak queue / worst 250 ms tick lateness ms"],
            [.. phases.Select(p => (IReadOnlyList<string>)
            [
                p.Name,
                p.Students.ToString(inv),
                $"{p.Students - p.Failures.Count}",
                $"{p.WallSeconds:0.0}",
                p.StudentSeconds.Count > 0 ? $"{p.StudentSeconds.Min():0.0} / {BenchReport.Median(p.StudentSeconds):0.0} / {p.StudentSeconds.Max():0.0}" : "-",
                $"{p.Log.Count()}",
                $"{p.Log.Percentile(null, 50):0} / {p.Log.Percentile(null, 95):0} / {p.Log.Percentile(null, 99):0}",
                $"{p.PageOnly(50):0} / {p.PageOnly(95):0}",
                $"{p.CpuSeconds:0.0}",
                $"{p.CpuSeconds / p.WallSeconds:0.00}",
                $"{p.Cpu.BenchAndBrowserSeconds / p.WallSeconds:0.00}",
                $"{p.Cpu.MachineBusySeconds / p.WallSeconds:0.00} of {Environment.ProcessorCount}",
                $"{p.After.PeakWorkingSetBytes / 1048576.0:0}",
                $"{p.After.PeakGcHeapBytes / 1048576.0:0}",
                $"{p.After.PeakThreadPoolThreads} / {p.After.PeakThreadPoolQueue} / {p.After.WorstSamplerLateMs:0}",
            ])]);
        var kinds = phases.SelectMany(p => p.Log.Kinds).Distinct().ToList();
        var byKind = new ResultTable(
            "Interactions by kind (ms, p50 / p95, count)",
            ["kind", .. phases.Select(p => p.Name)],
            [.. kinds.Select(kind => (IReadOnlyList<string>)
            [
                kind,
                .. phases.Select(p => p.Log.Count(kind) > 0 ? $"{p.Log.Percentile(kind, 50):0} / {p.Log.Percentile(kind, 95):0} ({p.Log.Count(kind)})" : "-"),
            ])]);

        var documentKinds = phases.SelectMany(p => p.Documents.Kinds).Distinct().ToList();
        var documentsTable = new ResultTable(
            "The portal's part of join and start: ms from the press, p50 / p95",
            ["measured until", .. phases.Select(p => p.Name)],
            [.. documentKinds.Select(kind => (IReadOnlyList<string>)
            [
                kind,
                .. phases.Select(p => p.Documents.Count(kind) > 0 ? $"{p.Documents.Percentile(kind, 50):0} / {p.Documents.Percentile(kind, 95):0}" : "-"),
            ])]);

        var clean = crowd.Failures.Count == 0;
        var ratios = new List<Ratio>
        {
            new($"interaction p95, {options.Students} at once vs one alone", "concurrent", "single", Divide(crowd.Log.Percentile(null, 95), single.Log.Percentile(null, 95)), 0, clean) { Ceiling = 2.0 },
            new($"page-only interaction p95 (no cloud job in it), {options.Students} at once vs one alone", "concurrent", "single", Divide(crowd.PageOnly(95), single.PageOnly(95)), 0, clean),
            new($"run-step p95 (press to the job's outcome on the page), {options.Students} at once vs one alone", "concurrent", "single", Divide(crowd.Log.Percentile("run-step", 95), single.Log.Percentile("run-step", 95)), 0, clean),
            new($"time to finish, all {options.Students} at once vs one alone", "concurrent", "single", Divide(crowd.WallSeconds, single.WallSeconds), 0, clean),
            new($"median student time, {options.Students} at once vs one alone", "concurrent", "single", Divide(BenchReport.Median(crowd.StudentSeconds), single.WallSeconds), 0, clean),
            new($"portal CPU seconds, {options.Students} students vs one", "concurrent", "single", Divide(crowd.CpuSeconds, single.CpuSeconds), 0, clean),
        };

        var notes = new List<string>
        {
            $"{MachineInfo.Sharing(loadBefore)}, and with the {options.Students} Chromium pages themselves; absolute times are inflated and noisy, the ratios to the single student of the same run mean more.",
            "Each student is a Chromium page (Debian's /usr/bin/chromium through Microsoft.Playwright) in a browser context of its own (its own cookies), all in one headless browser in the bench process; the portal runs in a child process (this program's portal-host mode: the portal's own Program through WebApplicationFactory on Kestrel), so the portal CPU and memory figures exclude the browser and the load generator.",
            "An interaction is one press and the page showing its outcome by itself: the page's own script clicks the button and a MutationObserver notes performance.now() when the DOM first shows the outcome (in-page times, no Playwright round trip in them). Kinds: join (the static join form's enhanced post until the lab list shows its Start button; timed from outside the page, as blazor.web.js may load a new document for it), start (after a reading pause, Start lab until the wizard's first step is interactive: the lab list starts the run in its circuit and the wizard opens in the same document; any wait for the list's circuit after the pause counts in it), quiz (Check my answers until the next step shows), run-step (Run this step until the status shows the job done; the finish step's confirmed teardown counts here too), next (Next step until the next step's title shows), check (Check my progress until the button is back from busy with the results shown; repeated once a second until every check passes), live-panel (the step's link until the panel shows its targets), dialog (Tear everything down until the confirmation shows).",
            options.ThinkSeconds > 0
                ? $"Pacing: each student reads before every press (Join and Start lab included; before Join the pause stands for typing the form, which the page fills at once), {options.ThinkSeconds} s on average (drawn from {options.ThinkSeconds * 0.5:0.#} to {options.ThinkSeconds * 1.5:0.#} s by the student's own seeded generator), as a person following the lab's text does; the {options.Students} students arrive spread over one such pause. The warm-up student presses without pausing. Pauses are in the per-student and wall times, never in an interaction's time. (`--think-seconds 0` presses back to back, as a bot would.)"
                : "Pacing: none (`--think-seconds 0`): every student presses again as soon as the page shows the outcome, as a bot would; the students all start at once.",
            "The portal's part: join is an enhanced form post (blazor.web.js fetches the post, follows its redirect and patches the lab list into the same document), timed inside the page like every other press; the fetch's Resource Timing gives the first byte of its answer (the post, the redirect and the list's server render, queueing included). Were a press to load a new document instead, its Navigation Timing would split it: until its first byte (the portal's part) and until its load event (the browser's part)",
            "run-step and check contain cloud work (the step's Hangfire job on the sandbox at the run's TimeScale, the portal's checks against the sandbox); page-only leaves them out.",
            "CPU: portal = the portal-host process (portal and embedded sandbox); bench + Chromium = this process and every descendant but the portal host (Playwright's driver, the browser and its renderers), from /proc; machine busy = all non-idle CPU time of the machine (/proc/stat) over wall time, so busy cores minus the two is what other work on the machine took.",
            "Per student time runs from opening the join page to the page showing the teardown done. Peak working set and GC heap are sampled every 250 ms inside the portal process, per phase.",
        };
        foreach (var phase in phases.Where(p => p.Failures.Count > 0))
        {
            notes.Add($"{phase.Name}: {phase.Failures.Count} student(s) did not finish: {string.Join(" | ", phase.Failures.Take(5))}");
        }

        var portalLog = File.Exists(portal.LogPath) ? File.ReadLines(portal.LogPath).Count(l => l.StartsWith("fail:", StringComparison.Ordinal)) : 0;
        notes.Add($"Portal log errors (fail: lines) during the run: {portalLog}; the log is {portal.LogPath}.");

        return new BenchReport(
            "students",
            $"{options.Students} students complete Lab 1 at once in real browser pages on the interactive wizard vs one student alone",
            started,
            DateTimeOffset.UtcNow,
            MachineInfo.Read(),
            loadBefore,
            MachineInfo.LoadAverage(),
            new Dictionary<string, string> { ["chromium"] = Chromium.Describe(browser.Version, options.BrowserIdle) },
            options,
            new Dictionary<string, string>
            {
                ["students"] = $"{options.Students} concurrent, after a warm-up student and a single-student reference, all in one portal process; {options.ThinkSeconds} s reading time before each press (0.5x to 1.5x)",
                ["portal"] = PortalProcess.Describe(portal, options.TimeScale),
                ["flow"] = "join the class, Start lab (Lab 1), concepts quiz, security-group, Next, instances, Next, Check my progress (open-instances), Next, target-group, Next, load-balancer, Next, Check my progress until every verify-traffic check passes, the live panel and back, Next, Tear everything down and confirm",
                ["scratch"] = directory,
            },
            [],
            new Dictionary<string, double>(),
            ratios,
            notes)
        { Tables = documentKinds.Count > 0 ? [table, byKind, documentsTable] : [table, byKind] };
    }

    private static double Divide(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;

    /// <summary>Students complete Lab 1 at once (arriving over one pause), each in its own browser context; the dashboard benchmark reuses it.</summary>
    internal static async Task<Phase> RunPhaseAsync(PortalProcess portal, IBrowser browser, string code, string name, int count, TimeSpan think)
    {
        var before = await portal.StatsAsync(resetPeaks: true);
        var cpuBefore = CpuSample.Take(portal.ProcessId);
        var crowd = await StudentCrowd.RunAsync(browser, _ => portal.Url, code, name, count, think);
        var after = await portal.StatsAsync();
        var cpu = CpuSample.Take(portal.ProcessId) - cpuBefore;
        var phase = new Phase(name, count, crowd, before, after, cpu);
        var log = crowd.Log;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: {count - phase.Failures.Count}/{count} finished in {phase.WallSeconds:0.0} s; interaction p50 {log.Percentile(null, 50):0} ms, p95 {log.Percentile(null, 95):0} ms; portal CPU {phase.CpuSeconds:0.0} s, bench + Chromium {cpu.BenchAndBrowserSeconds:0.0} s, machine busy {cpu.MachineBusySeconds / phase.WallSeconds:0.00} cores"));
        foreach (var failure in phase.Failures.Take(3))
        {
            Console.WriteLine("    " + failure);
        }

        return phase;
    }
}
