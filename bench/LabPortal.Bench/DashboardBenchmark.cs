using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace LabPortal.Bench;

/// <summary>
/// An instructor's class dashboard is open in a real Chromium page while students complete Lab 1 (one
/// student alone, then N at once, as in the students benchmark): how long after a step's job records
/// its outcome the dashboard shows it, with no reload. The portal and its embedded sandbox run in a
/// <c>portal-host</c> child process.
/// </summary>
internal static class DashboardBenchmark
{
    /// <summary>
    /// Notes Date.now() the first time each learner's step cell shows each state (a MutationObserver on the
    /// dashboard's grids: a row's learner is its <c>[data-learner]</c>, a cell is <c>[data-step][data-state]</c>).
    /// </summary>
    private const string Watcher = """
        () => {
          window.__lpSeen = {};
          const note = () => {
            const now = Date.now();
            for (const row of document.querySelectorAll('tr')) {
              const who = row.querySelector('[data-learner]');
              if (!who) continue;
              const learner = who.getAttribute('data-learner');
              for (const cell of row.querySelectorAll('[data-step][data-state]')) {
                const key = learner + '|' + cell.getAttribute('data-step') + '|' + cell.getAttribute('data-state');
                if (!(key in window.__lpSeen)) window.__lpSeen[key] = now;
              }
            }
          };
          note();
          new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
        }
        """;

    /// <summary>The cell states of a run whose teardown began: they replace every step's own state.</summary>
    private static readonly string[] TeardownStates = ["TearingDown", "TornDown"];

    /// <summary>How long before an outcome's record its run's teardown may already show (the finish step requests it first).</summary>
    private const long TeardownWindowMs = 5_000;

    private sealed record Phase(string Name, StudentsBenchmark.Phase Students, IReadOnlyList<double> LagsMs, int Changes, int NeverShown, int Superseded, IReadOnlyList<string> Missing, double PortalCpuSeconds)
    {
        public double P(double p) => InteractionLog.Percentile(LagsMs, p);
    }

    public static async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var directory = BenchEnvironment.NewTempDirectory("dashboard");
        Console.WriteLine($"Starting the portal (sandbox embedded, TimeScale {options.TimeScale}) in a child process ...");
        await using var portal = await PortalProcess.StartAsync(directory, options.TimeScale);
        var code = "DASH" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        int classId;
        using (var instructor = new PortalDriver(portal.Url))
        {
            classId = await instructor.CreateClassAsync(code);
        }

        var (playwright, browser) = await Chromium.LaunchAsync(options.BrowserIdle);
        Phase single, crowd;
        try
        {
            Console.WriteLine("Warm-up: one student completes Lab 1 (not measured) ...");
            await StudentsBenchmark.RunPhaseAsync(portal, browser, code, "warm-up", 1, TimeSpan.Zero);

            await using var context = await Chromium.NewContextAsync(browser, portal.Url);
            var dashboard = await context.NewPageAsync();
            await dashboard.GotoAsync("/account/login");
            await dashboard.GetByLabel("User name").FillAsync(PortalProcess.InstructorUserName);
            await dashboard.GetByLabel("Password").FillAsync(PortalProcess.InstructorPassword);
            await dashboard.GetByLabel("Password").PressAsync("Enter");
            await dashboard.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
            await dashboard.GotoAsync($"/classes/{classId}/dashboard");
            // Enabled only once the page's circuit is up: from then on it follows every change by itself.
            await Assertions.Expect(dashboard.Locator("#reset-class")).ToBeEnabledAsync(new() { Timeout = 60_000 });
            await dashboard.EvaluateAsync(Watcher);
            var think = TimeSpan.FromSeconds(options.ThinkSeconds);
            Console.WriteLine("Reference: one student alone, the dashboard open ...");
            single = await RunPhaseAsync(portal, browser, dashboard, classId, code, "single", 1, think);
            Console.WriteLine($"Load: {options.Students} students at once, the dashboard open ...");
            crowd = await RunPhaseAsync(portal, browser, dashboard, classId, code, "concurrent", options.Students, think);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }

        var phases = new[] { single, crowd };
        var table = new ResultTable(
            "Phases",
            ["phase", "students", "finished", "wall s", "step outcomes recorded", "shown on the dashboard", "replaced by the run's teardown", "never shown", "lag ms p50 / p95 / max", "student interaction ms p95", "portal CPU s / wall s", "machine busy cores", "thread pool: peak threads / peak queue / worst 250 ms tick lateness ms"],
            [.. phases.Select(p => (IReadOnlyList<string>)
            [
                p.Name,
                p.Students.Students.ToString(CultureInfo.InvariantCulture),
                $"{p.Students.Students - p.Students.Failures.Count}",
                $"{p.Students.WallSeconds:0.0}",
                $"{p.Changes}",
                $"{p.LagsMs.Count}",
                $"{p.Superseded}",
                $"{p.NeverShown}",
                p.LagsMs.Count > 0 ? $"{p.P(50):0} / {p.P(95):0} / {p.LagsMs.Max():0}" : "-",
                $"{p.Students.Log.Percentile(null, 95):0}",
                $"{p.PortalCpuSeconds / p.Students.WallSeconds:0.00}",
                $"{p.Students.Cpu.MachineBusySeconds / p.Students.WallSeconds:0.00} of {Environment.ProcessorCount}",
                $"{p.Students.After.PeakThreadPoolThreads} / {p.Students.After.PeakThreadPoolQueue} / {p.Students.After.WorstSamplerLateMs:0}",
            ])]);
        var documentKinds = phases.SelectMany(p => p.Students.Documents.Kinds).Distinct().ToList();
        var documentsTable = new ResultTable(
            "Students' join and start, the portal's part: ms from the press, p50 / p95",
            ["measured until", .. phases.Select(p => p.Name)],
            [.. documentKinds.Select(kind => (IReadOnlyList<string>)
            [
                kind,
                .. phases.Select(p => p.Students.Documents.Count(kind) > 0 ? $"{p.Students.Documents.Percentile(kind, 50):0} / {p.Students.Documents.Percentile(kind, 95):0}" : "-"),
            ])]);
        var clean = crowd.Students.Failures.Count == 0 && crowd.NeverShown == 0 && crowd.LagsMs.Count > 0;
        var ratios = new List<Ratio>
        {
            new($"dashboard lag p95, {options.Students} students at once vs one alone", "concurrent", "single", single.P(95) > 0 ? crowd.P(95) / single.P(95) : 0, 0, clean),
        };
        var goals = new List<GoalCheck>
        {
            new($"dashboard lag p95 with {options.Students} students working (a step's outcome recorded to shown on the open dashboard)", crowd.P(95), "ms", 1000, clean),
        };
        var notes = new List<string>
        {
            $"{MachineInfo.Sharing(loadBefore)}, and with the {options.Students} students' Chromium pages and the dashboard's page; the lag includes the browser's own share of the two cores.",
            "Lag: the time from a step's outcome being recorded (its StepRun's FinishedAtUtc, written by the step's job or the quiz's check just before the change is saved and published) to the dashboard's page first showing that state in that learner's cell (a MutationObserver in the page notes Date.now()). The portal and Chromium read the same machine's real-time clock. An outcome whose cell went straight to the run's teardown (the finish step's confirmation starts it) is counted apart; any other outcome the page never drew counts as never shown, and the goal is only met with none.",
            "The dashboard is the instructor's /classes/{id}/dashboard in its own browser context, signed in through the login page, opened after a warm-up student (not measured) and kept open for both phases with no reload. Students follow the students benchmark's flow and pacing.",
        };
        foreach (var phase in phases.Where(p => p.Missing.Count > 0))
        {
            notes.Add($"{phase.Name}: never shown: {string.Join("; ", phase.Missing.Take(10))}");
        }

        foreach (var phase in phases.Where(p => p.Students.Failures.Count > 0))
        {
            notes.Add($"{phase.Name}: {phase.Students.Failures.Count} student(s) did not finish: {string.Join(" | ", phase.Students.Failures.Take(5))}");
        }

        return new BenchReport(
            "dashboard",
            $"An instructor's dashboard open while {options.Students} students complete Lab 1, against one student alone: how soon each step's outcome shows",
            started,
            DateTimeOffset.UtcNow,
            MachineInfo.Read(),
            loadBefore,
            MachineInfo.LoadAverage(),
            new Dictionary<string, string> { ["chromium"] = Chromium.Describe(browser.Version, options.BrowserIdle) },
            options,
            new Dictionary<string, string>
            {
                ["students"] = $"1, then {options.Students} concurrent, after a warm-up student; {options.ThinkSeconds} s reading time before each press (0.5x to 1.5x)",
                ["portal"] = PortalProcess.Describe(portal, options.TimeScale),
                ["scratch"] = directory,
            },
            [],
            new Dictionary<string, double>(),
            ratios,
            notes)
        { Tables = documentKinds.Count > 0 ? [table, documentsTable] : [table], Goals = goals };
    }

    private static async Task<Phase> RunPhaseAsync(PortalProcess portal, IBrowser browser, IPage dashboard, int classId, string code, string name, int count, TimeSpan think)
    {
        var since = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var students = await StudentsBenchmark.RunPhaseAsync(portal, browser, code, name, count, think);
        // The last outcome may still be on its way to the page.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var seen = JsonSerializer.Deserialize<Dictionary<string, long>>(await dashboard.EvaluateAsync<string>("() => JSON.stringify(window.__lpSeen)")) ?? [];
        var outcomes = (await portal.StepOutcomesAsync(classId)).Where(o => o.FinishedUnixMs >= since).ToList();
        var lags = new List<double>();
        var neverShown = 0;
        var superseded = 0;
        var missing = new List<string>();
        // A step can record the same state more than once (a retried check): its first record is the change the page shows.
        foreach (var outcome in outcomes.GroupBy(o => (o.UserId, o.StepId, o.Status)).Select(g => g.MinBy(o => o.FinishedUnixMs)!))
        {
            if (seen.TryGetValue($"{outcome.UserId}|{outcome.StepId}|{outcome.Status}", out var shownAt) && shownAt >= since)
            {
                lags.Add(shownAt - outcome.FinishedUnixMs);
            }
            else if (TeardownStates.Any(state => seen.TryGetValue($"{outcome.UserId}|{outcome.StepId}|{state}", out var at) && at >= outcome.FinishedUnixMs - TeardownWindowMs))
            {
                // The run's teardown began with this outcome (the finish step's confirmation requests the teardown,
                // then records the step): every cell of the run shows the teardown instead, so this state is
                // rightly never drawn.
                superseded++;
            }
            else
            {
                neverShown++;
                missing.Add($"learner {outcome.UserId} {outcome.StepId} {outcome.Status}");
            }
        }

        var phase = new Phase(name, students, lags, lags.Count + neverShown + superseded, neverShown, superseded, missing, students.CpuSeconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: {lags.Count} outcomes shown, {superseded} replaced by the run's teardown, {neverShown} never; dashboard lag p50 {phase.P(50):0} ms, p95 {phase.P(95):0} ms, max {(lags.Count > 0 ? lags.Max() : 0):0} ms"));
        return phase;
    }
}
