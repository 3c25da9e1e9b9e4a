using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace LabPortal.Bench;

/// <summary>
/// Live-panel tabs as real browser pages (Chromium, each page one Blazor circuit subscribed to the
/// shared poller): one tab on one run, many tabs on that same run, and as many spread over many
/// runs, each phase measured for the same time in one portal process. DescribeTargetHealth calls are
/// counted by the sandbox itself (its API call counter, <see cref="LabPortal.Sandbox.Core.SandboxMetrics"/>),
/// the managed heap after a full GC inside the portal, and each update's lag inside each page.
/// </summary>
internal static class PanelBenchmark
{
    private const string DescribeTargetHealth = "DescribeTargetHealth";

    private sealed record Phase(
        string Name,
        int Runs,
        int Tabs,
        double Seconds,
        PortalStats Before,
        PortalStats After,
        PortalStats Collected,
        IReadOnlyList<PanelSeen> Seen,
        IReadOnlyList<double> FirstPanelMs,
        int Failed,
        int PollersAfterClose,
        CpuSample Cpu)
    {
        public long HealthCalls => After.Calls(DescribeTargetHealth) - Before.Calls(DescribeTargetHealth);

        public double HealthCallsPerMinute => HealthCalls / (Seconds / 60);

        public int AccountsPolled => After.CallsByAccountSince(Before, DescribeTargetHealth).Count;

        public double CpuSeconds => After.CpuSeconds - Before.CpuSeconds;

        public double Cores => CpuSeconds / Seconds;

        public double HeapMiB => Collected.GcHeapBytes / 1048576.0;

        public IReadOnlyList<double> Lags => [.. Seen.SelectMany(s => s.LagsMs)];

        public IReadOnlyList<double> Gaps => [.. Seen.SelectMany(s => s.GapsMs)];
    }

    /// <summary>A learner whose lab run the tabs watch: their browser context (their sign-in) and the run.</summary>
    private sealed record Watched(IBrowserContext Context, int RunId);

    public static async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var directory = BenchEnvironment.NewTempDirectory("panel");
        Console.WriteLine($"Starting the portal (sandbox embedded, TimeScale {options.TimeScale}) in a child process ...");
        await using var portal = await PortalProcess.StartAsync(directory, options.TimeScale);
        var code = "PANEL" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        using (var instructor = new PortalDriver(portal.Url))
        {
            await instructor.CreateClassAsync(code);
        }

        var setupLog = new InteractionLog();
        var (playwright, browser) = await Chromium.LaunchAsync(options.BrowserIdle);
        try
        {
            // The single run: Lab 1 up to healthy targets behind a load balancer, left running.
            Console.WriteLine("Setup: one student builds Lab 1 up to healthy targets behind the load balancer ...");
            var whole = await BuildAsync(browser, portal, code, "panel-whole", setupLog, throughLoadBalancer: true);

            // The many runs: each student's own account, security group, two instances and a target group with both registered.
            Console.WriteLine($"Setup: {options.PanelRuns} students build Lab 1 up to the target group (at most 5 at a time) ...");
            var many = new ConcurrentBag<Watched>();
            using (var gate = new SemaphoreSlim(5))
            {
                await Task.WhenAll(Enumerable.Range(1, options.PanelRuns).Select(async i =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        many.Add(await BuildAsync(browser, portal, code, $"panel-{i:00}", setupLog, throughLoadBalancer: false));
                    }
                    catch (Exception e) when (e is InvalidOperationException or TimeoutException or PlaywrightException)
                    {
                        // A run that did not get built is left out of the phases (and the report says how many were built).
                        Console.WriteLine($"    panel-{i:00}: {e.Message.Split('\n')[0]}");
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            var runs = many.OrderBy(w => w.RunId).ToList();
            var seconds = options.PhaseSeconds;
            // Let the setup's last jobs and first health checks settle, then measure nobody watching:
            // the cost of the runs themselves (instances' web servers, the load balancer's health checks).
            await Task.Delay(TimeSpan.FromSeconds(10));
            var phases = new List<Phase>
            {
                await MeasureAsync(portal, $"nobody watching ({runs.Count + 1} runs exist)", [], 0, seconds),
                await MeasureAsync(portal, "1 tab, 1 run", [whole], 1, seconds),
                await MeasureAsync(portal, $"{options.Tabs} tabs, 1 run", [whole], options.Tabs, seconds),
                await MeasureAsync(portal, $"{options.Tabs} tabs, {runs.Count} runs", runs, options.Tabs, seconds),
            };
            return Report(options, started, loadBefore, directory, portal, phases, runs.Count, setupLog, browser.Version);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private static async Task<Watched> BuildAsync(IBrowser browser, PortalProcess portal, string code, string name, InteractionLog log, bool throughLoadBalancer)
    {
        var context = await Chromium.NewContextAsync(browser, portal.Url);
        var page = await context.NewPageAsync();
        var student = new WizardStudent(page, $"{name}-{Guid.NewGuid().ToString("N")[..6]}", WizardStudent.Lab1, log);
        await student.JoinAsync(code);
        await student.BuildLab1Async(throughLoadBalancer);
        // The setup's page goes; the context (the learner's sign-in) stays for the tabs.
        await page.CloseAsync(new() { RunBeforeUnload = true });
        return new Watched(context, student.RunId);
    }

    /// <summary>
    /// Opens <paramref name="tabs"/> live-panel pages spread evenly over <paramref name="runs"/>, waits until each shows its first
    /// panel, then counts for <paramref name="seconds"/>; then a full GC in the portal with the tabs still open; then closes them.
    /// </summary>
    private static async Task<Phase> MeasureAsync(PortalProcess portal, string name, IReadOnlyList<Watched> runs, int tabs, int seconds)
    {
        Console.WriteLine($"Phase: {name} ({seconds} s) ...");
        var pages = new IPage[tabs];
        var first = new ConcurrentBag<double>();
        var failed = 0;
        using (var gate = new SemaphoreSlim(10))
        {
            await Task.WhenAll(Enumerable.Range(0, tabs).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var watched = runs[i % runs.Count];
                    pages[i] = await watched.Context.NewPageAsync();
                    var watch = Stopwatch.StartNew();
                    await pages[i].GotoAsync($"/runs/{watched.RunId}/live");
                    await pages[i].Locator("#live-panel").WaitForAsync(new() { Timeout = 120_000 });
                    first.Add(watch.Elapsed.TotalMilliseconds);
                }
                catch (Exception e) when (e is PlaywrightException or TimeoutException)
                {
                    Interlocked.Increment(ref failed);
                    Console.WriteLine($"    tab {i}: {e.Message.Split('\n')[0]}");
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var open = pages.Where(p => p is not null).ToList();
        // Steady state: every tab shows its panel; forget what the pages saw while opening.
        await Task.Delay(TimeSpan.FromSeconds(5));
        foreach (var page in open)
        {
            await PageTiming.TakePanelAsync(page);
        }

        var before = await portal.StatsAsync(resetPeaks: true);
        var cpuBefore = CpuSample.Take(portal.ProcessId);
        var window = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var after = await portal.StatsAsync();
        var cpu = CpuSample.Take(portal.ProcessId) - cpuBefore;
        var elapsed = window.Elapsed.TotalSeconds;
        var seen = new List<PanelSeen>();
        foreach (var page in open)
        {
            seen.Add(await PageTiming.TakePanelAsync(page));
        }

        // The managed heap with these tabs open, everything unreachable collected.
        var collected = await portal.StatsAsync(collect: true);

        foreach (var page in open)
        {
            // As a student closes a tab: the page's unload tells the portal to end its circuit.
            await page.CloseAsync(new() { RunBeforeUnload = true });
        }

        // Let the pollers notice nobody watches and stop before the next phase.
        var stopped = Stopwatch.StartNew();
        var pollers = (await portal.StatsAsync()).PanelPollers;
        while (pollers > 0 && stopped.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            pollers = (await portal.StatsAsync()).PanelPollers;
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        var phase = new Phase(name, runs.Count, tabs, elapsed, before, after, collected, seen, [.. first], failed, pollers, cpu);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {phase.HealthCalls} DescribeTargetHealth calls ({phase.HealthCallsPerMinute:0.0}/min) from {phase.AccountsPolled} accounts; portal CPU {phase.Cores:0.000} cores; heap after GC {phase.HeapMiB:0.0} MiB; update lag p50 {InteractionLog.Percentile(phase.Lags, 50):0} / p95 {InteractionLog.Percentile(phase.Lags, 95):0} ms over {phase.Lags.Count} updates; pollers left {pollers}"));
        return phase;
    }

    private static BenchReport Report(BenchOptions options, DateTimeOffset started, string loadBefore, string directory, PortalProcess portal, List<Phase> phases, int runCount, InteractionLog setupLog, string chromium)
    {
        var inv = CultureInfo.InvariantCulture;
        var nobody = phases[0];
        var single = phases[1];
        var crowd = phases[2];
        var spread = phases[3];
        var interval = crowd.After.PanelIntervalMs;
        string Updates(Phase p) => p.Seen.Count > 0 ? $"{p.Seen.Min(s => s.Count)} / {BenchReport.Median(p.Seen.Select(s => (double)s.Count)):0} / {p.Seen.Max(s => s.Count)}" : "-";
        var table = new ResultTable(
            "Phases",
            ["phase", "watched runs", "tabs", "seconds", "DescribeTargetHealth calls", "calls / min", "accounts polled", "panel updates per tab (min / median / max)", "update lag ms p50 / p95 / max", "gap between updates ms p50 / p95", "first panel ms (median / max)", "failed tabs", "portal CPU cores", "cores above nobody watching", "bench + Chromium cores", "machine busy cores", "GC heap MiB after full GC", "working set MiB (end / peak)", "allocated MiB / s", "pollers left after close"],
            [.. phases.Select(p => (IReadOnlyList<string>)
            [
                p.Name,
                p.Runs.ToString(inv),
                p.Tabs.ToString(inv),
                $"{p.Seconds:0.0}",
                p.HealthCalls.ToString(inv),
                $"{p.HealthCallsPerMinute:0.0}",
                p.AccountsPolled.ToString(inv),
                Updates(p),
                p.Lags.Count > 0 ? $"{InteractionLog.Percentile(p.Lags, 50):0} / {InteractionLog.Percentile(p.Lags, 95):0} / {p.Lags.Max():0}" : "-",
                p.Gaps.Count > 0 ? $"{InteractionLog.Percentile(p.Gaps, 50):0} / {InteractionLog.Percentile(p.Gaps, 95):0}" : "-",
                p.FirstPanelMs.Count > 0 ? $"{BenchReport.Median(p.FirstPanelMs):0} / {p.FirstPanelMs.Max():0}" : "-",
                p.Failed.ToString(inv),
                $"{p.Cores:0.000}",
                $"{p.Cores - nobody.Cores:+0.000;-0.000;0.000}",
                $"{p.Cpu.BenchAndBrowserSeconds / p.Seconds:0.00}",
                $"{p.Cpu.MachineBusySeconds / p.Seconds:0.00} of {Environment.ProcessorCount}",
                $"{p.HeapMiB:0.0}",
                $"{p.After.WorkingSetBytes / 1048576.0:0} / {p.After.PeakWorkingSetBytes / 1048576.0:0}",
                $"{(p.After.AllocatedBytes - p.Before.AllocatedBytes) / 1048576.0 / p.Seconds:0.0}",
                p.PollersAfterClose.ToString(inv),
            ])]);

        var heapPerTab = (crowd.HeapMiB - single.HeapMiB) / (crowd.Tabs - single.Tabs) * 1.048576;
        var ratios = new List<Ratio>
        {
            new($"DescribeTargetHealth per minute, {crowd.Tabs} tabs vs 1 on one run (must not grow)", crowd.Name, single.Name, Divide(crowd.HealthCallsPerMinute, single.HealthCallsPerMinute), 0, crowd.Failed == 0) { Ceiling = 1.05 },
            new($"DescribeTargetHealth per minute, {spread.Tabs} tabs on {runCount} runs vs 1 tab on one run (scales with runs: expect about {runCount})", spread.Name, single.Name, Divide(spread.HealthCallsPerMinute, single.HealthCallsPerMinute), 0, spread.Failed == 0),
            new($"portal CPU, {crowd.Tabs} tabs vs 1 on one run", crowd.Name, single.Name, Divide(crowd.Cores, single.Cores), 0, crowd.Failed == 0),
        };
        var goals = new List<GoalCheck>
        {
            new($"managed heap per open tab ((heap after full GC with {crowd.Tabs} tabs - with 1) / {crowd.Tabs - 1})", heapPerTab, "MB", 0.3, crowd.Failed == 0),
            new($"portal CPU with {crowd.Tabs} tabs open on one run (whole process: portal and embedded sandbox)", crowd.Cores, "cores", 0.25, crowd.Failed == 0),
            new($"update lag p95 with {crowd.Tabs} tabs (snapshot taken to shown in the page), against one poll interval", InteractionLog.Percentile(crowd.Lags, 95), "ms", interval, crowd.Failed == 0 && crowd.Lags.Count > 0),
            new($"update lag p95 with {spread.Tabs} tabs on {runCount} runs, against one poll interval", InteractionLog.Percentile(spread.Lags, 95), "ms", interval, spread.Failed == 0 && spread.Lags.Count > 0),
        };

        var notes = new List<string>
        {
            $"{MachineInfo.Sharing(loadBefore)}, and with Chromium rendering the open tabs; CPU figures are the portal process's own CPU time (user + system) over wall time (the embedded sandbox, its instances' web servers and load balancer included), the browser's is not in them.",
            $"A tab is a Chromium page (Debian's /usr/bin/chromium through Microsoft.Playwright, one headless browser) on /runs/{{id}}/live: a Blazor Server circuit whose live panel component subscribes to the shared poller (LivePanelHub, one RunPoller per watched run, ticking every {interval:0} ms). All tabs of a run are in its learner's browser context (a learner reaches only their own runs), like one student with many tabs open; tabs open at most 10 at a time.",
            "DescribeTargetHealth calls are counted at the sandbox: its API gateway counts every answered call on the meter LabPortal.Sandbox (labportal.sandbox.api.calls, tagged action and account), read by a MeterListener in the portal process; 'accounts polled' is the number of distinct sandbox accounts (one per student) the calls came from.",
            "Update lag: each page's own script notes Date.now() when a new snapshot (the panel's data-taken attribute: the server's DateTime.UtcNow when the poll finished, just before it is handed to the circuits) appears in its DOM (MutationObserver); the portal and Chromium read the same machine's real-time clock, so there is no clock skew between them. The gap between successive updates is measured with the page's monotonic clock alone (ideal: one interval).",
            "bench + Chromium = this process and every descendant but the portal host (Playwright's driver, the browser and its renderers drawing the tabs), from /proc; machine busy = all non-idle CPU time of the machine (/proc/stat) over the window: busy minus the portal and the browser is what other work on the machine took.",
            $"Heap: /bench/stats?gc=1 runs a blocking, compacting full GC (large object heap included) in the portal process with the phase's tabs still open and reads GC.GetTotalMemory; per tab = (heap with {crowd.Tabs} tabs - heap with 1 tab) / {crowd.Tabs - 1}, in MB (10^6 bytes). Heap after full GC: nobody watching {nobody.HeapMiB:0.0} MiB, 1 tab {single.HeapMiB:0.0} MiB, {crowd.Tabs} tabs {crowd.HeapMiB:0.0} MiB, {spread.Tabs} tabs on {runCount} runs {spread.HeapMiB:0.0} MiB.",
            $"The single run has a load balancer with two healthy targets, so its poller also sends {2} GETs per tick to the load balancer; the {runCount} runs stop at the target group (two instances registered, no load balancer: targets 'unused'), so their pollers call DescribeTargetHealth only.",
            "Counting starts 5 s after every tab shows its first panel (steady state); between phases every tab is closed (its unload ends its circuit) and the bench waits until the portal reports no poller left, before the next phase opens new tabs. The first phase has no tab: the CPU the existing runs cost by themselves, the baseline the other phases add to.",
            $"Setup (not measured): {setupLog.Count()} interactions, p95 {setupLog.Percentile(null, 95):0} ms.",
        };
        var portalLog = File.Exists(portal.LogPath) ? File.ReadLines(portal.LogPath).Count(l => l.StartsWith("fail:", StringComparison.Ordinal)) : 0;
        notes.Add($"Portal log errors (fail: lines) during the run: {portalLog}; the log is {portal.LogPath}.");

        return new BenchReport(
            "panel",
            "Live panel in real browser tabs (Blazor circuits): one tab, many tabs on one run and on many runs (DescribeTargetHealth calls per minute at the sandbox, heap per tab, portal CPU, update lag)",
            started,
            DateTimeOffset.UtcNow,
            MachineInfo.Read(),
            loadBefore,
            MachineInfo.LoadAverage(),
            new Dictionary<string, string> { ["chromium"] = Chromium.Describe(chromium, options.BrowserIdle) },
            options,
            new Dictionary<string, string>
            {
                ["phases"] = $"{options.PhaseSeconds} s each: nobody watching, 1 tab on one run, {options.Tabs} tabs on that run, {options.Tabs} tabs spread over {runCount} runs",
                ["portal"] = PortalProcess.Describe(portal, options.TimeScale),
                ["setup"] = $"one student builds Lab 1 in the wizard up to every verify-traffic check passing (load balancer, two healthy targets); {runCount} more build it up to the target group (their own account, two instances registered, no load balancer), at most 5 at a time",
                ["scratch"] = directory,
            },
            [],
            new Dictionary<string, double>(),
            ratios,
            notes)
        { Tables = [table], Goals = goals };
    }

    private static double Divide(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;
}
