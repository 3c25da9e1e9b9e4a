using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace LabPortal.Bench;

/// <summary>
/// Live-panel subscribers (SSE clients on <c>/runs/{id}/live/stream</c>): one on one run, many on
/// that same run, and as many spread over many runs, each phase measured for the same time in one
/// portal process. DescribeTargetHealth calls are counted by the sandbox itself (its API call
/// counter, <see cref="LabPortal.Sandbox.SandboxMetrics"/>), not by the portal that makes them.
/// </summary>
internal static class PanelBenchmark
{
    private const string DescribeTargetHealth = "DescribeTargetHealth";

    private sealed record Phase(
        string Name,
        int Runs,
        int Subscribers,
        double Seconds,
        PortalStats Before,
        PortalStats After,
        IReadOnlyList<int> EventsPerSubscriber,
        IReadOnlyList<double> FirstEventMs,
        int Failed)
    {
        public long HealthCalls => After.Calls(DescribeTargetHealth) - Before.Calls(DescribeTargetHealth);

        public double HealthCallsPerMinute => HealthCalls / (Seconds / 60);

        public int AccountsPolled => After.CallsByAccountSince(Before, DescribeTargetHealth).Count;

        public double CpuSeconds => After.CpuSeconds - Before.CpuSeconds;
    }

    /// <summary>A student whose lab run the subscribers watch, with their signed-in driver.</summary>
    private sealed record Watched(PortalDriver Driver, string RunUrl);

    public static async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var directory = BenchEnvironment.NewTempDirectory("panel");
        Console.WriteLine($"Starting the portal (sandbox embedded, TimeScale {options.TimeScale}) in a child process ...");
        await using var portal = await PortalProcess.StartAsync(directory, options.TimeScale);
        var code = "PANEL" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        await Lab1Student.CreateClassAsync(portal.Url, code);
        var setupLog = new LatencyLog();
        var drivers = new List<PortalDriver>();
        try
        {
            // The single run: Lab 1 up to healthy targets behind a load balancer, left running.
            Console.WriteLine("Setup: one student builds Lab 1 up to healthy targets ...");
            var whole = await BuildAsync(portal, code, "panel-whole", setupLog, drivers, throughLoadBalancer: true);

            // The many runs: each student's own account, security group, two instances and a target group with both registered.
            Console.WriteLine($"Setup: {options.PanelRuns} students build Lab 1 up to the target group (at most 10 at a time) ...");
            var many = new ConcurrentBag<Watched>();
            using (var gate = new SemaphoreSlim(10))
            {
                await Task.WhenAll(Enumerable.Range(1, options.PanelRuns).Select(async i =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        many.Add(await BuildAsync(portal, code, $"panel-{i:00}", setupLog, drivers, throughLoadBalancer: false));
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            var runs = many.OrderBy(w => w.RunUrl, StringComparer.Ordinal).ToList();
            var seconds = options.PhaseSeconds;
            // Let the setup's last jobs and first health checks settle, then measure nobody watching:
            // the cost of the runs themselves (instances' web servers, the load balancer's health checks).
            await Task.Delay(TimeSpan.FromSeconds(10));
            var phases = new List<Phase>
            {
                await MeasureAsync(portal, $"nobody watching ({runs.Count + 1} runs exist)", [], 0, seconds),
                await MeasureAsync(portal, "1 subscriber, 1 run", [whole], 1, seconds),
                await MeasureAsync(portal, $"{options.Subscribers} subscribers, 1 run", [whole], options.Subscribers, seconds),
                await MeasureAsync(portal, $"{options.Subscribers} subscribers, {runs.Count} runs", runs, options.Subscribers, seconds),
                await MeasureAsync(portal, $"{runs.Count} subscribers, {runs.Count} runs", runs, runs.Count, seconds),
            };
            return Report(options, started, loadBefore, directory, portal, phases, runs.Count, setupLog);
        }
        finally
        {
            foreach (var driver in drivers)
            {
                driver.Dispose();
            }
        }
    }

    private static async Task<Watched> BuildAsync(PortalProcess portal, string code, string name, LatencyLog log, List<PortalDriver> drivers, bool throughLoadBalancer)
    {
        var driver = new PortalDriver(portal.Url, log);
        lock (drivers)
        {
            drivers.Add(driver);
        }

        var student = new Lab1Student(driver, $"{name}-{Guid.NewGuid().ToString("N")[..6]}");
        await student.JoinAndStartAsync(code);
        await student.BuildThroughTargetGroupAsync();
        if (throughLoadBalancer)
        {
            await student.RunActionAsync("load-balancer");
            await student.CheckUntilPassedAsync("verify-traffic");
        }

        return new Watched(driver, student.RunUrl!);
    }

    /// <summary>Opens <paramref name="subscribers"/> streams spread evenly over <paramref name="runs"/>, waits until each has its first event, then counts for <paramref name="seconds"/>.</summary>
    private static async Task<Phase> MeasureAsync(PortalProcess portal, string name, IReadOnlyList<Watched> runs, int subscribers, int seconds)
    {
        Console.WriteLine($"Phase: {name} ({seconds} s) ...");
        using var stop = new CancellationTokenSource();
        var counters = new int[subscribers];
        var first = new double[subscribers];
        var failed = 0;
        using var connected = new CountdownEvent(subscribers);
        var opened = Stopwatch.StartNew();
        var streams = Enumerable.Range(0, subscribers).Select(i => Task.Run(async () =>
        {
            var watched = runs[i % runs.Count];
            var signalled = false;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{watched.RunUrl}/live/stream");
                request.Headers.Accept.ParseAdd("text/event-stream");
                using var response = await watched.Driver.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    if (line == "event: targets")
                    {
                        if (!signalled)
                        {
                            first[i] = opened.Elapsed.TotalMilliseconds;
                            signalled = true;
                            connected.Signal();
                        }

                        Interlocked.Increment(ref counters[i]);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The phase is over.
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                Interlocked.Increment(ref failed);
                Console.WriteLine($"    subscriber {i}: {e.Message}");
            }

            if (!signalled)
            {
                connected.Signal();
            }
        })).ToList();

        await Task.Run(() => connected.Wait(TimeSpan.FromSeconds(60)));
        // Counting starts once every tab shows its first panel: the steady state.
        Array.Clear(counters);
        var before = await portal.StatsAsync(resetPeaks: true);
        var window = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var after = await portal.StatsAsync();
        var elapsed = window.Elapsed.TotalSeconds;
        var events = counters.ToArray();
        await stop.CancelAsync();
        await Task.WhenAll(streams);

        // Let the pollers notice nobody watches and stop before the next phase.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var phase = new Phase(name, runs.Count, subscribers, elapsed, before, after, events, first.Where(f => f > 0).ToList(), failed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {phase.HealthCalls} DescribeTargetHealth calls ({phase.HealthCallsPerMinute:0.0}/min) from {phase.AccountsPolled} accounts; portal CPU {phase.CpuSeconds / elapsed:0.000} s/s; events per subscriber median {BenchReport.Median(events.Select(e => (double)e))}"));
        return phase;
    }

    private static BenchReport Report(BenchOptions options, DateTimeOffset started, string loadBefore, string directory, PortalProcess portal, List<Phase> phases, int runCount, LatencyLog setupLog)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new ResultTable(
            "Phases",
            ["phase", "watched runs", "subscribers", "seconds", "DescribeTargetHealth calls", "calls / min", "accounts polled", "panel updates per subscriber (min / median / max)", "first update ms (median / max)", "failed streams", "portal CPU s / wall s", "CPU s / s above nobody watching", "working set MiB (end / peak)", "GC heap MiB (end / peak)", "allocated MiB / s"],
            phases.Select(p => (IReadOnlyList<string>)
            [
                p.Name,
                p.Runs.ToString(inv),
                p.Subscribers.ToString(inv),
                $"{p.Seconds:0.0}",
                p.HealthCalls.ToString(inv),
                $"{p.HealthCallsPerMinute:0.0}",
                p.AccountsPolled.ToString(inv),
                p.EventsPerSubscriber.Count > 0 ? $"{p.EventsPerSubscriber.Min()} / {BenchReport.Median(p.EventsPerSubscriber.Select(e => (double)e)):0} / {p.EventsPerSubscriber.Max()}" : "-",
                p.FirstEventMs.Count > 0 ? $"{BenchReport.Median(p.FirstEventMs):0} / {p.FirstEventMs.Max():0}" : "-",
                p.Failed.ToString(inv),
                $"{p.CpuSeconds / p.Seconds:0.000}",
                $"{(p.CpuSeconds / p.Seconds) - (phases[0].CpuSeconds / phases[0].Seconds):+0.000;-0.000;0.000}",
                $"{p.After.WorkingSetBytes / 1048576.0:0} / {p.After.PeakWorkingSetBytes / 1048576.0:0}",
                $"{p.After.GcHeapBytes / 1048576.0:0} / {p.After.PeakGcHeapBytes / 1048576.0:0}",
                $"{(p.After.AllocatedBytes - p.Before.AllocatedBytes) / 1048576.0 / p.Seconds:0.0}",
            ]).ToList());

        var single = phases[1];
        var crowd = phases[2];
        var spread = phases[3];
        var perRun = phases[4];
        var ratios = new List<Ratio>
        {
            new($"DescribeTargetHealth per minute, {crowd.Subscribers} subscribers vs 1 on one run (must not grow)", crowd.Name, single.Name, Divide(crowd.HealthCallsPerMinute, single.HealthCallsPerMinute), 0, crowd.Failed == 0) { Ceiling = 1.2 },
            new($"DescribeTargetHealth per minute, {spread.Subscribers} subscribers vs {perRun.Subscribers} on {runCount} runs (must not grow)", spread.Name, perRun.Name, Divide(spread.HealthCallsPerMinute, perRun.HealthCallsPerMinute), 0, spread.Failed == 0) { Ceiling = 1.2 },
            new($"DescribeTargetHealth per minute, {runCount} runs vs 1 run (scales with runs: expect about {runCount})", spread.Name, single.Name, Divide(spread.HealthCallsPerMinute, single.HealthCallsPerMinute), 0, spread.Failed == 0),
            new($"portal CPU, {crowd.Subscribers} subscribers vs 1 on one run", crowd.Name, single.Name, Divide(crowd.CpuSeconds / crowd.Seconds, single.CpuSeconds / single.Seconds), 0, crowd.Failed == 0),
            new($"portal CPU, {spread.Subscribers} subscribers on {runCount} runs vs 1 on one run", spread.Name, single.Name, Divide(spread.CpuSeconds / spread.Seconds, single.CpuSeconds / single.Seconds), 0, spread.Failed == 0),
        };

        var notes = new List<string>
        {
            $"The machine's 2 cores were shared with other helpers' builds and tests during the run (load average before {loadBefore}); CPU figures are this portal process's own CPU time (user + system) over wall time, the load of other processes is not in them.",
            "DescribeTargetHealth calls are counted at the sandbox: its API gateway counts every answered call on the meter LabPortal.Sandbox (labportal.sandbox.api.calls, tagged action and account), read by a MeterListener in the portal process; 'accounts polled' is the number of distinct sandbox accounts (one per student) the calls came from.",
            $"The single run has a load balancer with two healthy targets, so its poller also sends {2} GETs per tick to the load balancer; the {runCount} runs stop at the target group (two instances registered, no load balancer: targets 'unused'), so their pollers call DescribeTargetHealth only. One poller per run ticks every 2 s (LivePanel:IntervalMilliseconds default): about 30 calls per minute per watched run.",
            "Counting starts when every subscriber has received its first panel (steady state); between phases every stream is closed and the pollers stop (nobody watches) before the next phase opens new ones. The first phase has no subscriber: the CPU the existing runs cost by themselves (their instances' web servers, the load balancer's health checks every 0.3 s at TimeScale 100), the baseline the other phases add to.",
            "The panel's CPU cost is hundredths of a core in every phase, the same size as the differences between two quiet phases on this shared machine: the CPU ratios are reported, not judged, and a negative 'above nobody watching' is noise.",
            "A new subscriber gets its first update at the poller's next tick (every 2 s), not at once, hence first-update times up to about 2 s when a poller already runs.",
            "All subscribers of a run use its owner's sign-in cookie (a learner reaches only their own runs), like one student with many tabs open.",
            $"Setup (not measured): {setupLog.Count("page")} page GETs, page p95 {setupLog.Percentile("page", 95):0} ms.",
        };
        var portalLog = File.Exists(portal.LogPath) ? File.ReadLines(portal.LogPath).Count(l => l.StartsWith("fail:", StringComparison.Ordinal)) : 0;
        notes.Add($"Portal log errors (fail: lines) during the run: {portalLog}; the log is {portal.LogPath}.");

        return new BenchReport(
            "panel",
            "Live panel: SSE subscribers on one run and on many runs vs one subscriber (portal CPU, memory, DescribeTargetHealth calls per minute at the sandbox)",
            started,
            DateTimeOffset.UtcNow,
            MachineInfo.Read(),
            loadBefore,
            MachineInfo.LoadAverage(),
            new Dictionary<string, string>(),
            options,
            new Dictionary<string, string>
            {
                ["phases"] = $"{options.PhaseSeconds} s each, in order: nobody watching (baseline), 1 subscriber on 1 run (reference), {options.Subscribers} on that run, {options.Subscribers} spread over {runCount} runs ({options.Subscribers / Math.Max(runCount, 1)} or more each), {runCount} over {runCount} runs (1 each)",
                ["portal"] = $"LabPortal's Program in a child process (portal-host) on {portal.Url}, Production environment, sandbox embedded on free ports, Sandbox:TimeScale {options.TimeScale.ToString(inv)}",
                ["subscriber"] = "GET /runs/{id}/live/stream with Accept: text/event-stream, read line by line; a panel update is one 'event: targets' (each tick also sends 'event: requests')",
                ["scratch"] = directory,
            },
            [],
            new Dictionary<string, double>(),
            ratios,
            notes)
        { Tables = [table] };
    }

    private static double Divide(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;
}
