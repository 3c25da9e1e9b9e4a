using System.Globalization;
using Microsoft.Playwright;

namespace LabPortal.Bench;

/// <summary>
/// Issue 18's bench point: N students on one portal node against 2N on two nodes behind nginx, both on a shared
/// PostgreSQL cluster and the standalone sandbox process, every server process started by the bench. Two nodes on one
/// machine cannot be faster than one: the ratio of server CPU per student is the overhead of distribution. The embedded
/// default (one process, SQLite, in-process sandbox) runs N students too, as an extra line. From the measured CPU per
/// student the report estimates, on paper, the machines a 500-student event needs.
/// </summary>
internal static class ScaleOutBenchmark
{
    /// <summary>The paper estimate's event size.</summary>
    private const int EventStudents = 500;

    /// <summary>The paper estimate's node size: cores per machine, and how busy they may be on average (headroom for peaks).</summary>
    private const int CoresPerMachine = 4;

    private const double TargetBusy = 0.6;

    /// <summary>A slower class than the bench: a student spends 30 minutes on Lab 1 (reading the text, the AWS console ideas).</summary>
    private const double ClassPaceSeconds = 30 * 60;

    /// <summary>One measured phase: its setup, what the students did, and the CPU seconds of each server process (with its children) over the crowd.</summary>
    internal sealed record Phase(string Name, string Setup, int Nodes, int Students, CrowdResult Crowd, IReadOnlyDictionary<string, double> ServerCpu, IReadOnlyDictionary<string, double> IdleCores, CpuSample Cpu, int WarmUpFailures, IReadOnlyList<string> Logs)
    {
        public double ServerCpuSeconds => ServerCpu.Values.Sum();

        public double CpuPerStudent => Students > 0 ? ServerCpuSeconds / Students : 0;

        public double PerStudent(string group) => Students > 0 ? ServerCpu.GetValueOrDefault(group) / Students : 0;

        /// <summary>CPU per student without the processes' fixed costs: the crowd's CPU less their idle cores over its wall time.</summary>
        public double MarginalPerStudent => Students > 0 ? Math.Max(0, ServerCpuSeconds - (IdleCores.Values.Sum() * Crowd.WallSeconds)) / Students : 0;

        public bool Clean => Crowd.Failures.Count == 0;
    }

    private const string Sandbox = "standalone sandbox";
    private const string Postgres = "PostgreSQL (postmaster and backends)";
    private const string Nginx = "nginx (master and worker)";
    private const string Embedded = "portal (embedded sandbox, SQLite)";

    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(20);

    private static string Node(int index) => $"portal node {index}";

    public static async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var directory = BenchEnvironment.NewTempDirectory("scaleout");
        var think = TimeSpan.FromSeconds(options.ThinkSeconds);
        var (playwright, browser) = await Chromium.LaunchAsync(options.BrowserIdle);
        Phase one, two;
        Phase? embedded = null;
        try
        {
            Console.WriteLine($"Phase 1: one node, PostgreSQL, standalone sandbox; {options.Students} students ...");
            one = await RunDistributedAsync(options, browser, directory, "one-node", nodes: 1, options.Students, think);
            Console.WriteLine($"Phase 2: two nodes behind nginx, PostgreSQL, standalone sandbox; {options.Students * 2} students ...");
            two = await RunDistributedAsync(options, browser, directory, "two-nodes", nodes: 2, options.Students * 2, think);
            if (options.Embedded)
            {
                Console.WriteLine($"Extra: the embedded default (one process, SQLite, in-process sandbox); {options.Students} students ...");
                embedded = await RunEmbeddedAsync(options, browser, directory, options.Students, think);
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }

        return Report(options, started, loadBefore, directory, browser.Version, await PostgresServer.VersionAsync(), await ProcessRunner.VersionAsync(NginxProxy.Executable, "-v"), one, two, embedded);
    }

    private static async Task<Phase> RunDistributedAsync(BenchOptions options, IBrowser browser, string root, string name, int nodes, int students, TimeSpan think)
    {
        var directory = Path.Combine(root, name);
        await using var postgres = await PostgresServer.StartAsync(Path.Combine(directory, "postgres"), maxConnections: 300);
        await using var sandbox = await StandaloneSandbox.StartAsync(Path.Combine(directory, "sandbox"), options.TimeScale);
        var settings = new Dictionary<string, string>(sandbox.NodeSettings) { ["ConnectionStrings:Portal"] = postgres.ConnectionString("labportal") };
        var portals = new List<PortalProcess>();
        ChildProcess? nginx = null;
        try
        {
            // One after the other: the first node creates the schema and the instructor account in the shared database.
            for (var i = 1; i <= nodes; i++)
            {
                portals.Add(await PortalProcess.StartNodeAsync(Path.Combine(directory, $"node{i}"), settings));
            }

            if (nodes > 1)
            {
                nginx = (await NginxProxy.StartPortalFrontAsync(directory, [.. portals.Select(p => p.Url)])).KilledWhenBenchEnds();
            }

            var servers = new Dictionary<string, int> { [Sandbox] = sandbox.ProcessId, [Postgres] = postgres.ProcessId };
            for (var i = 0; i < portals.Count; i++)
            {
                servers[Node(i + 1)] = portals[i].ProcessId;
            }

            if (nginx is not null)
            {
                servers[Nginx] = nginx.ProcessId;
            }

            var entry = nginx?.Url ?? portals[0].Url;
            var setup = nginx is null
                ? $"one node at {entry}, PostgreSQL 15, the standalone sandbox"
                : $"{nodes} nodes behind nginx at {entry} (deploy/nginx.conf: sticky lp_node cookie), PostgreSQL 15, the standalone sandbox";
            var logs = portals.Select(p => p.LogPath).Append(postgres.LogPath).Append(Path.Combine(directory, "sandbox", "sandbox.log")).ToList();
            if (nginx is not null)
            {
                logs.Add(Path.Combine(directory, "nginx", "error.log"));
            }

            return await MeasureAsync(browser, name, setup, nodes, students, think, entry, [.. portals.Select(p => p.Url)], servers, logs);
        }
        finally
        {
            if (nginx is not null)
            {
                await nginx.DisposeAsync();
            }

            foreach (var portal in portals)
            {
                await portal.DisposeAsync();
            }
        }
    }

    private static async Task<Phase> RunEmbeddedAsync(BenchOptions options, IBrowser browser, string root, int students, TimeSpan think)
    {
        var directory = Path.Combine(root, "embedded");
        await using var portal = await PortalProcess.StartAsync(directory, options.TimeScale);
        return await MeasureAsync(browser, "embedded", $"the embedded default: one process at {portal.Url}, SQLite, the sandbox in process", 1, students, think, portal.Url, [portal.Url],
            new Dictionary<string, int> { [Embedded] = portal.ProcessId }, [portal.LogPath]);
    }

    /// <summary>
    /// A class on the started servers: one unmeasured warm-up student per node at that node's own address (JIT, EF model,
    /// Hangfire, the first accounts), then the crowd through <paramref name="entry"/>, with every server process's CPU
    /// (its whole process tree, from /proc) read before and after.
    /// </summary>
    private static async Task<Phase> MeasureAsync(IBrowser browser, string name, string setup, int nodes, int students, TimeSpan think, Uri entry, IReadOnlyList<Uri> nodeUrls, IReadOnlyDictionary<string, int> servers, IReadOnlyList<string> logs)
    {
        var code = "SCALE" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        using (var instructor = new PortalDriver(entry))
        {
            await instructor.CreateClassAsync(code);
        }

        var warmUp = await StudentCrowd.RunAsync(browser, i => nodeUrls[i - 1], code, $"{name}-warm-up", nodeUrls.Count, TimeSpan.Zero);
        foreach (var failure in warmUp.Failures)
        {
            Console.WriteLine("    warm-up: " + failure);
        }

        // Each server's fixed cost: its CPU while nobody works (after the warm-up's teardown settled), in cores.
        await Task.Delay(IdleSettle);
        var idleStart = ProcessTable.Read();
        await Task.Delay(IdleWindow);
        var idleEnd = ProcessTable.Read();
        var idle = servers.ToDictionary(s => s.Key, s => (idleEnd.TreeSeconds(s.Value) - idleStart.TreeSeconds(s.Value)) / IdleWindow.TotalSeconds);

        var pids = servers.Values.ToList();
        var before = ProcessTable.Read();
        var crowd = await StudentCrowd.RunAsync(browser, _ => entry, code, name, students, think);
        var after = ProcessTable.Read();
        var cpu = servers.ToDictionary(s => s.Key, s => after.TreeSeconds(s.Value) - before.TreeSeconds(s.Value));
        var phase = new Phase(name, setup, nodes, students, crowd, cpu, idle, after.Sample(pids) - before.Sample(pids), warmUp.Failures.Count, logs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: {students - crowd.Failures.Count}/{students} finished in {crowd.WallSeconds:0.0} s; interaction p95 {crowd.Log.Percentile(null, 95):0} ms; server CPU {phase.ServerCpuSeconds:0.0} s = {phase.CpuPerStudent:0.00} s per student ({string.Join(", ", cpu.Select(c => $"{c.Key} {c.Value:0.0}"))})"));
        foreach (var failure in crowd.Failures.Take(3))
        {
            Console.WriteLine("    " + failure);
        }

        return phase;
    }

    private static BenchReport Report(BenchOptions options, DateTimeOffset started, string loadBefore, string directory, string chromium, string postgres, string nginx, Phase one, Phase two, Phase? embedded)
    {
        var inv = CultureInfo.InvariantCulture;
        Phase[] phases = embedded is null ? [one, two] : [one, two, embedded];
        var cores = Environment.ProcessorCount;
        var table = new ResultTable(
            "Phases",
            ["phase", "setup", "students", "finished", "wall s", "per student s (min / median / max)", "interactions", "interaction ms p50 / p95 / p99", "page-only ms p50 / p95", "server CPU s", "server CPU s per student", "server cores (CPU s / wall s)", "bench + Chromium cores", "machine busy cores (all processes)"],
            [.. phases.Select(p => (IReadOnlyList<string>)
            [
                p.Name,
                p.Setup,
                p.Students.ToString(inv),
                (p.Students - p.Crowd.Failures.Count).ToString(inv),
                p.Crowd.WallSeconds.ToString("0.0", inv),
                p.Crowd.StudentSeconds.Count > 0 ? string.Create(inv, $"{p.Crowd.StudentSeconds.Min():0.0} / {BenchReport.Median(p.Crowd.StudentSeconds):0.0} / {p.Crowd.StudentSeconds.Max():0.0}") : "-",
                p.Crowd.Log.Count().ToString(inv),
                string.Create(inv, $"{p.Crowd.Log.Percentile(null, 50):0} / {p.Crowd.Log.Percentile(null, 95):0} / {p.Crowd.Log.Percentile(null, 99):0}"),
                string.Create(inv, $"{p.Crowd.PageOnly(50):0} / {p.Crowd.PageOnly(95):0}"),
                p.ServerCpuSeconds.ToString("0.0", inv),
                p.CpuPerStudent.ToString("0.000", inv),
                (p.ServerCpuSeconds / p.Crowd.WallSeconds).ToString("0.00", inv),
                (p.Cpu.BenchAndBrowserSeconds / p.Crowd.WallSeconds).ToString("0.00", inv),
                string.Create(inv, $"{p.Cpu.MachineBusySeconds / p.Crowd.WallSeconds:0.00} of {cores}"),
            ])]);

        var groups = phases.SelectMany(p => p.ServerCpu.Keys).Distinct().ToList();
        var byProcess = new ResultTable(
            "Server CPU by process: CPU s over the crowd (CPU s per student) [idle cores before the crowd]",
            ["process (with its children)", .. phases.Select(p => p.Name), "two nodes minus one node, per student"],
            [.. groups.Select(g => (IReadOnlyList<string>)
            [
                g,
                .. phases.Select(p => p.ServerCpu.TryGetValue(g, out var s) ? string.Create(inv, $"{s:0.0} ({s / p.Students:0.000}) [{p.IdleCores.GetValueOrDefault(g):0.000}]") : "-"),
                string.Create(inv, $"{two.PerStudent(g) - one.PerStudent(g):+0.000;-0.000;0.000}"),
            ]), ["all server processes", .. phases.Select(p => string.Create(inv, $"{p.ServerCpuSeconds:0.0} ({p.CpuPerStudent:0.000})")), string.Create(inv, $"{two.CpuPerStudent - one.CpuPerStudent:+0.000;-0.000;0.000}")]]);

        var kinds = phases.SelectMany(p => p.Crowd.Log.Kinds).Distinct().ToList();
        var byKind = new ResultTable(
            "Interactions by kind (ms, p50 / p95, count)",
            ["kind", .. phases.Select(p => p.Name)],
            [.. kinds.Select(kind => (IReadOnlyList<string>)
            [
                kind,
                .. phases.Select(p => p.Crowd.Log.Count(kind) > 0 ? string.Create(inv, $"{p.Crowd.Log.Percentile(kind, 50):0} / {p.Crowd.Log.Percentile(kind, 95):0} ({p.Crowd.Log.Count(kind)})") : "-"),
            ])]);

        var (estimate, estimateNotes) = Estimate(two);
        var clean = one.Clean && two.Clean;
        var ratios = new List<Ratio>
        {
            new("server CPU per student, two nodes behind nginx vs one node (the overhead of distribution)", two.Name, one.Name, Divide(two.CpuPerStudent, one.CpuPerStudent), 0, clean) { Ceiling = 1.3 },
            new("interaction p95, two nodes vs one node", two.Name, one.Name, Divide(two.Crowd.Log.Percentile(null, 95), one.Crowd.Log.Percentile(null, 95)), 0, clean),
            new("page-only interaction p95, two nodes vs one node", two.Name, one.Name, Divide(two.Crowd.PageOnly(95), one.Crowd.PageOnly(95)), 0, clean),
            new("marginal server CPU per student (less each process's idle cores x the crowd's wall time), two nodes vs one node", two.Name, one.Name, Divide(two.MarginalPerStudent, one.MarginalPerStudent), 0, clean),
            new("crowd wall time, two nodes vs one node (above 1, the fixed costs are paid longer per student)", two.Name, one.Name, Divide(two.Crowd.WallSeconds, one.Crowd.WallSeconds), 0, clean),
        };
        if (embedded is not null)
        {
            ratios.Add(new("server CPU per student, one node on PostgreSQL and the standalone sandbox vs the embedded default", one.Name, embedded.Name, Divide(one.CpuPerStudent, embedded.CpuPerStudent), 0, clean));
        }

        var notes = new List<string>
        {
            $"{MachineInfo.Sharing(loadBefore)}. Two nodes on one machine cannot be faster than one: they share the same cores, so the ratio of CPU per student is what distribution costs (nginx, two processes' fixed costs, the database over a socket), not a speed-up.",
            "CPU per student = CPU seconds of every server process over the crowd (from the first arrival to the last finish), read from /proc as user + system time of the process and every descendant (reaped children included: a PostgreSQL backend's time moves into the postmaster's when it ends), divided by the students. Server processes: the portal node(s) (this program's portal-host mode: the portal's Program on Kestrel, Development environment, Release build), the standalone sandbox (`dotnet LabPortal.Sandbox.dll`, its own build output and runtime settings), PostgreSQL's postmaster with all its backends, nginx's master and worker. Not counted: the bench, Playwright's driver and Chromium (bench + Chromium column).",
            "Each phase starts its own servers on free loopback ports and stops them after: a fresh PostgreSQL 15 cluster (initdb in the scratch folder, trust authentication, fsync=off as the tests' clusters, max_connections 300, one database `labportal`), a fresh standalone sandbox (Sandbox:TimeScale as given, random admin key, logs at Warning), the node(s) with Sandbox:Enabled=false, Sandbox:ApiUrl / DataPlaneUrl / AdminKey and ConnectionStrings:Portal (Hangfire's storage follows it into PostgreSQL), started one after the other; in phase 2, Debian's nginx with the repository's deploy/nginx.conf (sticky lp_node cookie, consistent hash, WebSocket upgrade, access log on, one worker) filled with the nodes' ports.",
            "Phase 1 reaches its node directly (no nginx: one node needs no proxy); phase 2 reaches the nodes only through nginx, so nginx's CPU is part of the overhead measured. Every student is a Chromium context of its own, so nginx gives each its own lp_node cookie and the students spread over the two nodes by the hash (the per-node CPU shows the split).",
            $"Warm-up (not measured): before each crowd, one student per node completes Lab 1 at that node's own address without pauses. Warm-up failures: {string.Join(", ", phases.Select(p => $"{p.Name} {p.WarmUpFailures}"))}.",
            $"Students and pacing as in `students` (same flow, same in-page timing, same kinds; page-only leaves out run-step and check): {options.ThinkSeconds} s reading time on average before each press (0.5x to 1.5x), arrivals spread over one pause. The students' Chromium runs on the same 2 cores as the servers (in the idle class); the reading time must keep phase 2's 60 browsers from saturating them, or phase 2 lasts longer than phase 1 and every process's fixed cost is paid longer per student (the wall-time ratio shows it).",
            "Marginal CPU per student = (the phase's server CPU - the sum of its processes' idle cores x the crowd's wall time) / students: what one more student costs, without the fixed costs of running the processes.",
            embedded is null
                ? "The embedded default was not measured in this run (--embedded off)."
                : "The embedded line is the existing default (one process, SQLite, sandbox in process) measured in the same run with the same students and pacing; it is reported, not the goal's reference.",
        };
        notes.AddRange(estimateNotes);
        foreach (var phase in phases.Where(p => p.Crowd.Failures.Count > 0))
        {
            notes.Add($"{phase.Name}: {phase.Crowd.Failures.Count} student(s) did not finish: {string.Join(" | ", phase.Crowd.Failures.Take(5))}");
        }

        foreach (var phase in phases)
        {
            var errors = phase.Logs.Where(File.Exists).Sum(log => File.ReadLines(log).Count(l => l.StartsWith("fail:", StringComparison.Ordinal)));
            notes.Add($"{phase.Name}: portal log errors (fail: lines) {errors}; logs: {string.Join(", ", phase.Logs)}.");
        }

        return new BenchReport(
            "scaleout",
            $"Scale-out: {options.Students * 2} students over two portal nodes vs {options.Students} on one (PostgreSQL, standalone sandbox), CPU per student",
            started,
            DateTimeOffset.UtcNow,
            MachineInfo.Read(),
            loadBefore,
            MachineInfo.LoadAverage(),
            new Dictionary<string, string>
            {
                ["chromium"] = Chromium.Describe(chromium, options.BrowserIdle),
                ["postgresql"] = postgres,
                ["nginx"] = nginx,
            },
            options,
            new Dictionary<string, string>
            {
                ["students"] = $"phase 1: {options.Students} on one node; phase 2: {options.Students * 2} on two nodes through nginx; {(embedded is null ? "no embedded line" : $"extra: {options.Students} on the embedded default")}; {options.ThinkSeconds} s reading time before each press (0.5x to 1.5x); Sandbox:TimeScale {options.TimeScale.ToString(inv)}",
                ["flow"] = "join the class, Start lab (Lab 1), concepts quiz, security-group, Next, instances, Next, Check my progress (open-instances), Next, target-group, Next, load-balancer, Next, Check my progress until every verify-traffic check passes, the live panel and back, Next, Tear everything down and confirm",
                ["scratch"] = directory,
            },
            [],
            new Dictionary<string, double>(),
            ratios,
            notes)
        { Tables = [table, byProcess, byKind, estimate] };
    }

    /// <summary>
    /// The paper estimate for <see cref="EventStudents"/> students from the two-node phase: each part's fixed cost (its
    /// cores while idle) and its marginal CPU per student (the crowd's CPU less the fixed cost over the crowd's wall
    /// time), with every student doing the lab at once at the bench's pace and at a class's; portal nodes and the
    /// other parts on machines of <see cref="CoresPerMachine"/> cores at <see cref="TargetBusy"/> busy.
    /// </summary>
    private static (ResultTable Table, IReadOnlyList<string> Notes) Estimate(Phase measured)
    {
        var inv = CultureInfo.InvariantCulture;
        var labSeconds = BenchReport.Median(measured.Crowd.StudentSeconds);
        var wall = measured.Crowd.WallSeconds;
        var budget = CoresPerMachine * TargetBusy;
        var nodeGroups = measured.ServerCpu.Keys.Where(g => g.StartsWith("portal node", StringComparison.Ordinal)).ToList();
        var rows = new List<IReadOnlyList<string>>();
        var notes = new List<string>();

        (double Cpu, double Idle, double Marginal) Part(IReadOnlyCollection<string> groups)
        {
            var cpu = groups.Sum(g => measured.ServerCpu.GetValueOrDefault(g));
            var idle = groups.Sum(g => measured.IdleCores.GetValueOrDefault(g));
            return (cpu / measured.Students, idle, Math.Max(0, (cpu - (idle * wall)) / measured.Students));
        }

        // Portal nodes: each node pays its own fixed cost, so a node has budget - fixed cores for students.
        var nodes = Part(nodeGroups);
        var nodeFixed = nodeGroups.Count > 0 ? nodes.Idle / nodeGroups.Count : 0;
        string NodeCount(double pace)
        {
            var load = EventStudents * nodes.Marginal / pace;
            return budget > nodeFixed
                ? string.Create(inv, $"{EventStudents} x {nodes.Marginal:0.000} / {pace:0} = {load:0.00} cores; / ({budget:0.0} - {nodeFixed:0.00} fixed per node) = {Math.Ceiling(load / (budget - nodeFixed)):0} node(s)")
                : "a node's fixed cost is above its budget";
        }

        rows.Add(
        [
            $"portal nodes ({nodeGroups.Count} measured)",
            nodes.Cpu.ToString("0.000", inv),
            string.Create(inv, $"{nodes.Idle:0.000} ({nodeFixed:0.000} per node)"),
            nodes.Marginal.ToString("0.000", inv),
            NodeCount(labSeconds),
            NodeCount(ClassPaceSeconds),
        ]);
        foreach (var group in new[] { Sandbox, Postgres, Nginx })
        {
            var part = Part([group]);
            string Cores(double pace)
            {
                var cores = part.Idle + (EventStudents * part.Marginal / pace);
                return string.Create(inv, $"{part.Idle:0.00} + {EventStudents} x {part.Marginal:0.000} / {pace:0} = {cores:0.00} cores; / {TargetBusy:0.0} = {cores / TargetBusy:0.00} cores: {Math.Ceiling(cores / budget):0} machine(s)");
            }

            rows.Add([group, part.Cpu.ToString("0.000", inv), part.Idle.ToString("0.000", inv), part.Marginal.ToString("0.000", inv), Cores(labSeconds), Cores(ClassPaceSeconds)]);
        }

        notes.Add(string.Create(inv,
            $"Paper estimate for a {EventStudents}-student event, from phase 2 (two nodes, PostgreSQL, standalone sandbox, nginx), all {EventStudents} doing Lab 1 at once. Each part's fixed cost is its CPU while nobody worked ({IdleWindow.TotalSeconds:0} s measured after the warm-up, {IdleSettle.TotalSeconds:0} s after it ended), in cores; its marginal CPU per student = (its CPU over the crowd - fixed cores x the crowd's {wall:0} s) / {measured.Students} students. Cores while {EventStudents} work = fixed + {EventStudents} x marginal / the time one student's lab takes: at the bench's pace phase 2's median student time, {labSeconds:0} s; at a class's pace {ClassPaceSeconds / 60:0} minutes. Machines of {CoresPerMachine} cores at {TargetBusy:0%} busy on average (headroom for arrival peaks, GC and the shared machine's noise): {budget:0.0} cores each; a portal node pays its own fixed cost out of that. PostgreSQL and the sandbox are one process each: the figure is what their one machine must have (more than one machine for the sandbox would need the sandbox split, which it is not)."));
        notes.Add("What the estimate leaves out: this machine's 2 cores are shared and slow (a server core is likely faster, so the figures are on the high side); at Sandbox:TimeScale 100 the sandbox runs AWS's waits and health-check intervals 100 times faster than AWS, so its time-driven work per student (health checks while a lab's load balancer lives) is compressed into the bench's few minutes, and at a class's pace (a sandbox at a lower TimeScale) it would be spread out differently; a class does not start all at once, so the bench's pace is the worst case; memory, connections (PostgreSQL's max_connections against the nodes' pools and Hangfire workers) and the students' own browsers are not in it.");
        var table = new ResultTable(
            $"Paper estimate for a {EventStudents}-student event (from phase 2; machines of {CoresPerMachine} cores at {TargetBusy:0%} busy = {budget.ToString("0.0", inv)} cores each)",
            ["part", "CPU s per student over the crowd", "fixed cost, cores (idle)", "marginal CPU s per student", $"bench's pace ({labSeconds.ToString("0", inv)} s per lab)", $"a class's pace ({(ClassPaceSeconds / 60).ToString("0", inv)} min per lab)"],
            rows);
        return (table, notes);
    }

    private static double Divide(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;
}
