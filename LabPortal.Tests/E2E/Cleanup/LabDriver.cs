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

    public async Task DoStepAsync(StepDefinition step)
    {
        var url = $"{runUrl}/steps/{step.Id}";
        switch (step.Kind)
        {
            case StepKind.Read:
                Assert.Equal(HttpStatusCode.Redirect, (await student.SubmitAsync(url, "#read-form", new Dictionary<string, string>())).Response.StatusCode);
                break;
            case StepKind.Quiz:
                var answers = step.Quiz.ToDictionary(q => $"Answers[{q.Id}]", q => q.Answer);
                Assert.Equal(HttpStatusCode.Redirect, (await student.SubmitAsync(url, "#quiz-form", answers)).Response.StatusCode);
                break;
            case StepKind.Verify:
                var deadline = DateTime.UtcNow.AddSeconds(90);
                while (true)
                {
                    var (_, page) = await student.SubmitAsync(url, "#check-form", new Dictionary<string, string>());
                    var verdicts = page.QuerySelectorAll("#check-results li").Select(li => li.GetAttribute("data-verdict") + " " + li.TextContent.Trim()).ToList();
                    if (verdicts.Count > 0 && verdicts.All(v => !v.StartsWith("Failed", StringComparison.Ordinal)))
                    {
                        break;
                    }

                    Assert.True(DateTime.UtcNow < deadline, $"{step.Id} never passed: {string.Join("; ", verdicts)}");
                    await Task.Delay(500);
                }

                break;
            default:
                var (response, form) = await student.SubmitAsShownAsync(url, "#action-form");
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Submitting {step.Id} answered {(int)response.StatusCode}: {form.QuerySelector(".invalid-feedback, .alert-danger")?.TextContent}");
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
