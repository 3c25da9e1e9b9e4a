using System.Net;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// Drives any shipped lab through its pages as a student without JavaScript, step by step from its
/// lab.yaml: read steps confirmed, quizzes answered with the lab's own answers, action steps
/// submitted with their defaults (waiting for the job), verify steps checked until they pass. It
/// stops before the finish step, leaving a finished lab with all its resources.
/// </summary>
public sealed class LabDriver(PortalFactory factory, PortalClient student, LabDefinition lab, string runUrl)
{
    public PortalClient Student => student;

    public LabDefinition Lab => lab;

    public string RunUrl => runUrl;

    public int RunId => int.Parse(runUrl.Split('/', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<LabDriver> StartAsync(PortalFactory factory, PortalClient student, string labsDirectory, string labId)
    {
        var lab = LabCatalog.Load(labsDirectory).Find(labId) ?? throw new InvalidOperationException($"No lab {labId} in {labsDirectory}.");
        var (started, _) = await student.SubmitAsync("/labs", $"#start-{labId}", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var location = started.Headers.Location!;
        return new LabDriver(factory, student, lab, location.IsAbsoluteUri ? location.PathAndQuery : "/" + location.OriginalString.TrimStart('/'));
    }

    /// <summary>Does every step before the finish step (or before <paramref name="stopBefore"/>).</summary>
    public async Task FinishAllButTeardownAsync(string? stopBefore = null)
    {
        foreach (var step in lab.Steps)
        {
            if (step.Kind == StepKind.Finish || step.Id == stopBefore)
            {
                return;
            }

            await DoStepAsync(step);
        }
    }

    /// <summary>Values to submit instead of the form's, per action step id (e.g. other names for a second run).</summary>
    public Dictionary<string, Dictionary<string, string>> Overrides { get; } = new(StringComparer.Ordinal);

    /// <summary>The wizard's buttons, pressed in-process for this student.</summary>
    public WizardDriver Wizard { get; } = new(student);

    public async Task DoStepAsync(StepDefinition step)
    {
        switch (step.Kind)
        {
            case StepKind.Read:
                Assert.True(await Wizard.ReadAsync(RunId, step.Id));
                break;
            case StepKind.Quiz:
                var outcome = await Wizard.AnswerAsync(RunId, step.Id, step.Quiz.ToDictionary(q => q.Id, q => q.Answer));
                Assert.True(outcome is { Passed: true }, $"The quiz of {step.Id} did not pass.");
                break;
            case StepKind.Verify:
                var deadline = DateTime.UtcNow.AddSeconds(90);
                while (true)
                {
                    var verdicts = (await Wizard.CheckAsync(RunId, step.Id) ?? []).Select(r => r.Verdict + " " + r.Text).ToList();
                    if (verdicts.Count > 0 && verdicts.All(v => !v.StartsWith("Failed", StringComparison.Ordinal)))
                    {
                        break;
                    }

                    Assert.True(DateTime.UtcNow < deadline, $"{step.Id} never passed: {string.Join("; ", verdicts)}");
                    await Task.Delay(500);
                }

                break;
            default:
                var result = await Wizard.SubmitAsShownAsync(RunId, step.Id, Overrides.GetValueOrDefault(step.Id));
                Assert.True(result is { Succeeded: true }, $"Submitting {step.Id} was refused: {(result is null ? "not found" : string.Join("; ", result.Errors.Values))}");
                var done = await WaitForStepAsync(step.Id);
                Assert.True(done.Status == StepRunStatus.Succeeded, $"Step {step.Id} failed: {done.ErrorCode} {done.ErrorMessage}");
                break;
        }
    }

    public async Task<StepRun> WaitForStepAsync(string stepId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            using var scope = factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var latest = await db.StepRuns.Where(s => s.LabRunId == RunId && s.StepId == stepId).OrderByDescending(s => s.Id).FirstOrDefaultAsync();
            if (latest is { Status: StepRunStatus.Succeeded or StepRunStatus.Failed })
            {
                return latest;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Step {stepId} is still {latest?.Status.ToString() ?? "not scheduled"}.");
            }

            await Task.Delay(200);
        }
    }
}
