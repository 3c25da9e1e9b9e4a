extern alias portal;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using portal::LabPortal.Features.Labs.Definitions;

namespace LabPortal.Bench;

/// <summary>One interaction a student made: what kind, how long from the press until the page showed its outcome.</summary>
internal readonly record struct Interaction(string Kind, double Milliseconds);

/// <summary>Every interaction of one phase, from all its students.</summary>
internal sealed class InteractionLog
{
    private readonly ConcurrentQueue<Interaction> _entries = new();

    public void Add(string kind, double milliseconds) => _entries.Enqueue(new Interaction(kind, milliseconds));

    public IReadOnlyList<Interaction> Entries => [.. _entries];

    /// <summary>The <paramref name="p"/>-th percentile (nearest rank) of one kind's times in ms, or of all when <paramref name="kind"/> is null.</summary>
    public double Percentile(string? kind, double p) => Percentile(_entries.Where(e => kind is null || e.Kind == kind).Select(e => e.Milliseconds), p);

    public int Count(string? kind = null) => _entries.Count(e => kind is null || e.Kind == kind);

    public IReadOnlyList<string> Kinds => [.. _entries.Select(e => e.Kind).Distinct()];

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// A student in a real Chromium page on the interactive wizard: joins a class, starts a lab, answers
/// its quizzes from the lab's own answers, presses each step's buttons and waits for the page to show
/// the outcome by itself (the wizard is one document: no reloads, no polling from the browser). Every
/// press is timed inside the page (<see cref="PageTiming"/>) and logged by kind.
/// </summary>
internal sealed partial class WizardStudent(IPage page, string name, string labId, InteractionLog log, Pacing? pacing = null, InteractionLog? documents = null)
{
    public const string Lab1 = "alb-two-web-servers";
    public const string Lab2 = "asg-behind-alb";

    /// <summary>The kind logged for a Check my progress press that showed no outcome within <see cref="LostAfter"/>.</summary>
    private const string LostKind = "check (no outcome, pressed again)";

    private static readonly TimeSpan LostAfter = TimeSpan.FromSeconds(60);

    private static readonly Lazy<LabCatalog> Catalog = new(() => LabCatalog.Load(Path.Combine(PortalProcess.RepositoryRoot(), "LabPortal", "Labs")));

    private LabDefinition Lab => Catalog.Value.Find(labId) ?? throw new InvalidOperationException($"Lab {labId} not found.");

    public int RunId { get; private set; }

    /// <summary>The join page (static: it sets the sign-in cookie) filled in, a reading pause, then Join until the lab list shows this lab's Start button.</summary>
    public async Task JoinAsync(string classCode)
    {
        await page.GotoAsync("/join");
        await page.GetByLabel("Join code").FillAsync(classCode);
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(name + "-password");
        await page.GetByLabel("Repeat the password").FillAsync(name + "-password");
        // A person types the code, a name and the password twice before pressing Join, as they read before every other press.
        if (pacing is not null)
        {
            await pacing.ReadAsync();
        }

        if (await page.Locator("#join-form[data-enhance]").CountAsync() == 0)
        {
            LogNavigation("join", await PageTiming.NavigateTimedAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Join" }), $"#start-{labId}"));
            return;
        }

        // An enhanced post: blazor.web.js fetches the answer and patches this document, so the press is timed
        // inside the page like every other press (no Playwright round trip in it).
        var pressed = await PageTiming.PressAsync(page, new Press("#join-form button[type=submit]", [$"#start-{labId}"]));
        log.Add("join", pressed.Milliseconds);
        if (documents is not null && pressed.FirstByteMs is { } firstByte)
        {
            documents.Add("join: first byte of the answer (portal)", firstByte);
        }
    }

    /// <summary>
    /// Start lab after reading the lab list, until the wizard's first step is interactive. The list starts the run
    /// in its circuit and opens the wizard in the same document, so the press is timed inside the page; when the
    /// circuit is not live yet after the reading pause, the wait for it counts in the press's time (the student
    /// would wait too).
    /// </summary>
    public async Task StartAsync()
    {
        if (pacing is not null)
        {
            await pacing.ReadAsync();
        }

        var watch = Stopwatch.StartNew();
        await page.Locator("#lab-list[data-interactive=true]").WaitForAsync(new() { Timeout = 120_000 });
        var waited = watch.Elapsed.TotalMilliseconds;
        var pressed = await PageTiming.PressAsync(page, new Press($"#start-{labId} button", ["#step-page[data-interactive=true]"]));
        log.Add("start", waited + pressed.Milliseconds);
        var run = RunAddress().Match(page.Url);
        RunId = run.Success ? int.Parse(run.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"{name}: starting {labId} led to {page.Url}.");
        await ExpectStepAsync(Lab.Steps[0].Id);
    }

    /// <summary>A press that loads a new document: its time, and (when asked for) the document's first byte and load event apart.</summary>
    private void LogNavigation(string kind, (double Total, double FirstByte, double Loaded) timing)
    {
        log.Add(kind, timing.Total);
        if (documents is not null && double.IsFinite(timing.FirstByte))
        {
            documents.Add($"{kind}: first byte (portal)", timing.FirstByte);
            documents.Add($"{kind}: load event", timing.Loaded);
        }
    }

    /// <summary>Answers the quiz from the lab's own answers and presses Check my answers until the next step shows.</summary>
    public async Task PassQuizAsync(string stepId)
    {
        var steps = Lab.Steps;
        var index = steps.FindIndex(s => s.Id == stepId);
        foreach (var question in steps[index].Quiz)
        {
            var answer = question.Choices.Single(c => c.Id == question.Answer).Text.En;
            await page.GetByRole(AriaRole.Group, new() { Name = question.Question.En }).GetByRole(AriaRole.Radio, new() { Name = answer, Exact = true }).CheckAsync(new() { Force = true });
        }

        var next = steps[index + 1];
        await TimedAsync("quiz", new Press("#check-answers", ["#step-page[data-interactive=true]"], Path: $"/steps/{next.Id}", Title: next.Title.En));
    }

    /// <summary>Run this step (the form as shown) until the page shows the job's outcome by itself.</summary>
    public async Task RunStepAsync(string stepId)
    {
        var done = await TimedAsync("run-step", new Press("#run-step", ["#step-status-text[data-state=done]"], Fail: "#step-status-text[data-state=failed]"));
        if (done.State != "done")
        {
            throw new InvalidOperationException($"{name}: step {stepId} failed: {await page.Locator("#step-status-text").InnerTextAsync()}");
        }
    }

    /// <summary>Next step until the next step's title shows and its page is interactive.</summary>
    public async Task NextAsync()
    {
        var next = NextStep();
        await TimedAsync("next", new Press("#next-step", ["#step-page[data-interactive=true]"], Path: $"/steps/{next.Id}", Title: next.Title.En));
    }

    /// <summary>Presses Check my progress until every check passes (targets need a few health checks first).</summary>
    public async Task CheckUntilPassedAsync(string stepId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                await TimedAsync("check", new Press("#check-progress", ["#check-results li"], Cycle: "#check-progress", LimitMs: LostAfter.TotalMilliseconds));
            }
            catch (PlaywrightException e) when (e.Message.Contains("no outcome of", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                // The press got no answer (under heavy load a circuit can drop and reconnect): counted, then pressed again as a student would.
                log.Add(LostKind, LostAfter.TotalMilliseconds);
                continue;
            }

            var verdicts = await page.Locator("#check-results li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.verdict)");
            if (verdicts.Length > 0 && verdicts.All(v => v == "Passed"))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{name}: {stepId} checks not all passed after 5 min: {string.Join(", ", verdicts)}.");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The step's live-panel link until the panel shows its targets, then back to the step.</summary>
    public async Task VisitLivePanelAsync(string stepId)
    {
        await TimedAsync("live-panel", new Press("#live-panel-link", ["#panel-targets li[data-target]"], Path: $"/runs/{RunId}/live"));
        await page.GoBackAsync();
        await ExpectStepAsync(stepId);
    }

    /// <summary>The finish step: Tear everything down, confirm, until the page shows the teardown done.</summary>
    public async Task TearDownAsync()
    {
        await TimedAsync("dialog", new Press("#tear-down", ["#confirm-yes"]));
        var done = await TimedAsync("run-step", new Press("#confirm-yes", ["#step-status-text[data-state=done]"], Fail: "#step-status-text[data-state=failed]"));
        if (done.State != "done")
        {
            throw new InvalidOperationException($"{name}: the teardown failed: {await page.Locator("#step-status-text").InnerTextAsync()}");
        }
    }

    /// <summary>Lab 1 from the joined class's lab list to a working load balancer (every verify-traffic check passed).</summary>
    public async Task BuildLab1Async(bool throughLoadBalancer)
    {
        await StartAsync();
        await PassQuizAsync("concepts");
        await RunStepAsync("security-group");
        await NextAsync();
        await RunStepAsync("instances");
        await NextAsync();
        await CheckUntilPassedAsync("open-instances");
        await NextAsync();
        await RunStepAsync("target-group");
        if (throughLoadBalancer)
        {
            await NextAsync();
            await RunStepAsync("load-balancer");
            await NextAsync();
            await CheckUntilPassedAsync("verify-traffic");
        }
    }

    private async Task<Pressed> TimedAsync(string kind, Press press)
    {
        if (pacing is not null)
        {
            await pacing.ReadAsync();
        }

        var pressed = await PageTiming.PressAsync(page, press);
        log.Add(kind, pressed.Milliseconds);
        return pressed;
    }

    private async Task ExpectStepAsync(string stepId)
    {
        var title = Lab.Step(stepId)!.Title.En;
        await page.Locator("#step-page[data-interactive=true] #step-title").Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(title)}\\s*$") }).WaitForAsync();
        if (!page.Url.EndsWith($"/steps/{stepId}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{name}: expected step {stepId}, the page is at {page.Url}.");
        }
    }

    /// <summary>The step after the one the address names.</summary>
    private StepDefinition NextStep()
    {
        var current = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var index = Lab.Steps.FindIndex(s => s.Id == current);
        return index >= 0 && index + 1 < Lab.Steps.Count ? Lab.Steps[index + 1] : throw new InvalidOperationException($"{name}: no step after '{current}'.");
    }

    [GeneratedRegex(@"/runs/([0-9]+)/")]
    private static partial Regex RunAddress();
}

/// <summary>
/// A student's reading time before each press: a person reads the step (and the blog post it follows)
/// before pressing, so a classroom's presses are spread out, not back to back. Each pause is drawn from
/// 0.5x to 1.5x of <paramref name="think"/> by the student's own seeded generator (same sequence every run).
/// The pause is not part of any interaction's time.
/// </summary>
internal sealed class Pacing(TimeSpan think, int seed)
{
    private readonly Random _random = new(seed);

    public TimeSpan Think => think;

    public Task ReadAsync() => think <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(think * (0.5 + _random.NextDouble()));

    /// <summary>When student <paramref name="index"/> of <paramref name="count"/> arrives: spread evenly over one pause.</summary>
    public TimeSpan Arrival(int index, int count) => count <= 1 ? TimeSpan.Zero : think * index / count;
}
