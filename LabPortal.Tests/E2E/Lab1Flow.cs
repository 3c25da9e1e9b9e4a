using System.Net;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Tests.E2E;

/// <summary>
/// Drives the shipped Lab 1 through the portal's pages as a student would (no JavaScript): answers
/// the quiz from the lab's own answers, submits each action step with its defaults and waits for its
/// background job. The cloud behind it is chosen by the portal's settings. Everything it reads from
/// the database is this run's own, so several students' flows can run side by side.
/// </summary>
public sealed class Lab1Flow(string dataDirectory, PortalClient student, string runUrl)
{
    public static readonly string ShippedLabs = Path.Combine(Artifacts.RepositoryRoot(), "LabPortal", "Labs");

    public static readonly LabDefinition Lab = LabCatalog.Load(ShippedLabs).Find("alb-two-web-servers")!;

    public PortalClient Student => student;

    public string DataDirectory => dataDirectory;

    public string RunUrl => runUrl;

    /// <summary>The run's id, from its address (<c>/runs/{id}</c>).</summary>
    public int RunId => int.Parse(runUrl.Split('/', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A new class made by the instructor, a new student in it, and Lab 1 started.</summary>
    public static async Task<Lab1Flow> StartAsync(PortalFactory factory, string studentName)
    {
        var code = await Students.CreateClassAsync(factory, NewClassCode());
        return await StartAsync(factory.DataDirectory, await Students.JoinAsync(factory, code, studentName));
    }

    /// <summary>Starts Lab 1 for a student who already joined a class, on the portal whose data folder is <paramref name="dataDirectory"/>.</summary>
    public static async Task<Lab1Flow> StartAsync(string dataDirectory, PortalClient student)
    {
        var (started, _) = await student.SubmitAsync("/labs", "#start-alb-two-web-servers", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var location = started.Headers.Location!;
        return new Lab1Flow(dataDirectory, student, location.IsAbsoluteUri ? location.PathAndQuery : "/" + location.OriginalString.TrimStart('/'));
    }

    public static string NewClassCode() => "FLOW" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The portal's database, opened the way the portal opens it (works while the portal runs, and after it died).</summary>
    public static PortalDbContext OpenDatabase(string dataDirectory) => TestDatabase.Open(dataDirectory);

    /// <summary>The wizard's buttons, pressed in-process for this student (<see cref="WizardDriver"/>).</summary>
    public WizardDriver Wizard { get; } = new(student);

    public async Task PassQuizAsync(string stepId)
    {
        var answers = Lab.Step(stepId)!.Quiz.ToDictionary(q => q.Id, q => q.Answer);
        var outcome = await Wizard.AnswerAsync(RunId, stepId, answers);
        Assert.True(outcome is { Passed: true }, $"The quiz of {stepId} did not pass.");
    }

    /// <summary>Runs an action step with the values its form starts from (plus overrides) and waits for its job.</summary>
    public async Task<StepRun> RunActionAsync(string stepId, IDictionary<string, string>? overrides = null)
    {
        var result = await Wizard.SubmitAsShownAsync(RunId, stepId, overrides);
        Assert.True(result is { Succeeded: true }, $"Submitting {stepId} was refused: {(result is null ? "not found" : string.Join("; ", result.Errors.Values))}");
        return await WaitForStepAsync(stepId);
    }

    /// <summary>Presses "Check my progress" and returns each check's verdict with its text.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CheckAsync(string stepId)
    {
        var results = await Wizard.CheckAsync(RunId, stepId);
        Assert.NotNull(results);
        return results.ToDictionary(r => r.Check, r => r.Verdict + ": " + r.Text);
    }

    public static void AssertNoneFailed(IReadOnlyDictionary<string, string> verdicts)
    {
        Assert.NotEmpty(verdicts);
        Assert.All(verdicts, v => Assert.False(v.Value.StartsWith("Failed", StringComparison.Ordinal), $"{v.Key} {v.Value}"));
    }

    public async Task<StepRun> WaitForStepAsync(string stepId, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            await using var db = OpenDatabase(dataDirectory);
            var latest = await db.StepRuns.Where(s => s.LabRunId == RunId && s.StepId == stepId).OrderByDescending(s => s.Id).FirstOrDefaultAsync();
            if (latest is { Status: StepRunStatus.Succeeded or StepRunStatus.Failed })
            {
                return latest;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Step {stepId} is still {latest?.Status.ToString() ?? "not scheduled"} after {limit ?? TimeSpan.FromSeconds(90)}.");
            }

            await Task.Delay(250);
        }
    }

    public async Task<Dictionary<string, string>> OutputsAsync()
    {
        await using var db = OpenDatabase(dataDirectory);
        var json = await db.LabRuns.Where(r => r.Id == RunId).Select(r => r.OutputsJson).SingleAsync();
        return Features.LabRuns.RunView.ReadJson(json);
    }

    public async Task<List<LedgerEntry>> LedgerAsync()
    {
        await using var db = OpenDatabase(dataDirectory);
        return await db.Ledger.Where(e => e.LabRunId == RunId).OrderBy(e => e.Id).ToListAsync();
    }

    public Task<(HttpResponseMessage Response, AngleSharp.Dom.IDocument Document)> GetStepAsync(string stepId) => student.GetAsync($"{runUrl}/steps/{stepId}");

    public static void AssertSucceeded(StepRun step) =>
        Assert.True(step.Status == StepRunStatus.Succeeded, $"Step {step.StepId} failed: {step.ErrorCode} {step.ErrorMessage}");
}
