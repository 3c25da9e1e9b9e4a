using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace LabPortal.Bench;

/// <summary>
/// The portal's own share of a class arriving: N students join and start Lab 1 at once over plain HTTP
/// (no browser: the join form's post, its redirect to the lab list, Start lab's post and its redirect to
/// the wizard's server-rendered first page), against one student alone in the same run. The students
/// benchmark drives real Chromium pages for the same presses; this one leaves the browsers' CPU out.
/// </summary>
internal static class JoinsBenchmark
{
    private sealed record Phase(string Name, int Students, double WallSeconds, InteractionLog Log, double CpuSeconds, IReadOnlyList<string> Failures);

    public static async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var directory = BenchEnvironment.NewTempDirectory("joins");
        Console.WriteLine($"Starting the portal (sandbox embedded, TimeScale {options.TimeScale}) in a child process ...");
        await using var portal = await PortalProcess.StartAsync(directory, options.TimeScale);
        var code = "JOIN" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        using (var instructor = new PortalDriver(portal.Url))
        {
            await instructor.CreateClassAsync(code);
        }

        Console.WriteLine("Warm-up: two students one after the other (not measured) ...");
        await RunPhaseAsync(portal, code, "warm-up", 1);
        await RunPhaseAsync(portal, code, "warm-up-2", 1);
        Console.WriteLine("Reference: one student alone ...");
        var single = await RunPhaseAsync(portal, code, "single", 1);
        Console.WriteLine($"Load: {options.Students} students at once ...");
        var crowd = await RunPhaseAsync(portal, code, "concurrent", options.Students);

        var phases = new[] { single, crowd };
        var kinds = phases.SelectMany(p => p.Log.Kinds).Distinct().ToList();
        var table = new ResultTable(
            "Requests (ms, p50 / p95 / max)",
            ["request", .. phases.Select(p => $"{p.Name} ({p.Students})")],
            [.. kinds.Select(kind => (IReadOnlyList<string>)
            [
                kind,
                .. phases.Select(p => p.Log.Count(kind) > 0 ? $"{p.Log.Percentile(kind, 50):0} / {p.Log.Percentile(kind, 95):0} / {p.Log.Entries.Where(e => e.Kind == kind).Max(e => e.Milliseconds):0}" : "-"),
            ])]);
        var cpu = new ResultTable(
            "Portal",
            ["phase", "students", "wall s", "portal CPU s", "portal CPU ms per student", "failures"],
            [.. phases.Select(p => (IReadOnlyList<string>)[p.Name, $"{p.Students}", $"{p.WallSeconds:0.0}", $"{p.CpuSeconds:0.0}", $"{p.CpuSeconds * 1000 / p.Students:0}", $"{p.Failures.Count}"])]);
        var clean = crowd.Failures.Count == 0;
        var ratios = new List<Ratio>
        {
            new($"join + start p95 (HTTP only), {options.Students} at once vs one alone", "concurrent", "single", Divide(crowd.Log.Percentile(null, 95), single.Log.Percentile(null, 95)), 0, clean),
        };
        var notes = new List<string>
        {
            $"{MachineInfo.Sharing(loadBefore)}.",
            "Each student: GET /join (the form and its antiforgery token), POST it (a new account: one PBKDF2 hash; the sign-in cookie), GET the lab list it redirects to, POST Start lab for Lab 1, GET the wizard page it redirects to, and on to the current step's page (server-rendered; no circuit is opened, as no browser runs its script). Timed per request from the client; one HttpClient with its own cookies per student; all students start together.",
            "Portal CPU: the portal-host process's CPU time over the phase (portal and embedded sandbox); per student = that / students.",
        };
        foreach (var phase in phases.Where(p => p.Failures.Count > 0))
        {
            notes.Add($"{phase.Name}: {string.Join(" | ", phase.Failures.Take(5))}");
        }

        return new BenchReport(
            "joins",
            $"{options.Students} students join a class and start Lab 1 at once over plain HTTP vs one alone: the portal's share of a class arriving",
            started,
            DateTimeOffset.UtcNow,
            MachineInfo.Read(),
            loadBefore,
            MachineInfo.LoadAverage(),
            new Dictionary<string, string>(),
            options,
            new Dictionary<string, string> { ["portal"] = PortalProcess.Describe(portal, options.TimeScale), ["scratch"] = directory },
            [],
            new Dictionary<string, double>(),
            ratios,
            notes)
        { Tables = [table, cpu] };
    }

    private static double Divide(double a, double b) => b > 0 ? a / b : 0;

    private static async Task<Phase> RunPhaseAsync(PortalProcess portal, string code, string name, int count)
    {
        var before = await portal.StatsAsync();
        var log = new InteractionLog();
        var failures = new ConcurrentQueue<string>();
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(1, count).Select(async i =>
        {
            var studentName = $"{name}-{i:00}-{Guid.NewGuid().ToString("N")[..6]}";
            using var student = new PortalDriver(portal.Url);
            try
            {
                var (_, joinHtml, _) = await TimedAsync(log, "GET /join", async () => Expect(await student.GetAsync("/join"), HttpStatusCode.OK));
                var joinForm = HtmlForm.Find(joinHtml, "join-form") ?? throw new InvalidOperationException("No join form.");
                joinForm = joinForm with { Action = joinForm.Action ?? "/join" };
                var joined = await TimedAsync(log, "POST /join", () => student.PostFormAsync(joinForm, new Dictionary<string, string>
                {
                    ["Input.JoinCode"] = code,
                    ["Input.DisplayName"] = studentName,
                    ["Input.Password"] = studentName + "-password",
                    ["Input.ConfirmPassword"] = studentName + "-password",
                }));
                var labs = Expect(joined, HttpStatusCode.Redirect).Location ?? throw new InvalidOperationException("The join post did not redirect.");
                var (_, labsHtml, _) = await TimedAsync(log, "GET lab list", async () => Expect(await student.GetAsync(labs), HttpStatusCode.OK));
                var form = HtmlForm.Find(labsHtml, $"start-{WizardStudent.Lab1}") ?? throw new InvalidOperationException("No Start lab form on the lab list.");
                var startedRun = await TimedAsync(log, "POST Start lab", () => student.PostFormAsync(form, new Dictionary<string, string>()));
                var wizard = Expect(startedRun, HttpStatusCode.Redirect).Location ?? throw new InvalidOperationException("Start lab did not redirect.");
                await TimedAsync(log, "GET wizard page", async () =>
                {
                    // The run's address sends on to its current step's page.
                    var page = await student.GetAsync(wizard);
                    return page.Status == HttpStatusCode.Redirect && page.Location is { } step ? Expect(await student.GetAsync(step), HttpStatusCode.OK) : Expect(page, HttpStatusCode.OK);
                });
            }
            catch (InvalidOperationException e)
            {
                failures.Enqueue($"{studentName}: {e.Message}");
            }
        }));
        wall.Stop();
        var after = await portal.StatsAsync();
        var phase = new Phase(name, count, wall.Elapsed.TotalSeconds, log, after.CpuSeconds - before.CpuSeconds, [.. failures]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: {count - phase.Failures.Count}/{count} in {phase.WallSeconds:0.0} s; request p50 {log.Percentile(null, 50):0} ms, p95 {log.Percentile(null, 95):0} ms; portal CPU {phase.CpuSeconds:0.0} s"));
        return phase;
    }

    private static async Task<T> TimedAsync<T>(InteractionLog log, string kind, Func<Task<T>> request)
    {
        var watch = Stopwatch.StartNew();
        var result = await request();
        log.Add(kind, watch.Elapsed.TotalMilliseconds);
        return result;
    }

    private static (HttpStatusCode Status, string Html, string? Location) Expect((HttpStatusCode Status, string Html, string? Location) response, HttpStatusCode expected) =>
        response.Status == expected ? response : throw new InvalidOperationException($"answered {(int)response.Status}, expected {(int)expected}.");
}
