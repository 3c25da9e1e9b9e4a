using System.Net;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E;

/// <summary>
/// Drives the shipped Lab 1 through the portal's pages as a student would (no JavaScript): answers
/// the quiz from the lab's own answers, submits each action step with its defaults and waits for its
/// background job. The cloud behind it is chosen by the derived class.
/// </summary>
public sealed class Lab1Flow(PortalFactory factory, PortalClient student, string runUrl)
{
    public static readonly string ShippedLabs = Path.Combine(Artifacts.RepositoryRoot(), "LabPortal", "Labs");

    public static readonly LabDefinition Lab = LabCatalog.Load(ShippedLabs).Find("alb-two-web-servers")!;

    public PortalFactory Factory => factory;

    public PortalClient Student => student;

    public string RunUrl => runUrl;

    public static async Task<Lab1Flow> StartAsync(PortalFactory factory, string studentName)
    {
        var code = await Students.CreateClassAsync(factory, "FLOW" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var student = await Students.JoinAsync(factory, code, studentName);
        var (started, _) = await student.SubmitAsync("/labs", "#start-alb-two-web-servers", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var location = started.Headers.Location!;
        return new Lab1Flow(factory, student, location.IsAbsoluteUri ? location.PathAndQuery : "/" + location.OriginalString.TrimStart('/'));
    }

    public async Task PassQuizAsync(string stepId)
    {
        var answers = Lab.Step(stepId)!.Quiz.ToDictionary(q => $"Answers[{q.Id}]", q => q.Answer);
        var (response, _) = await student.SubmitAsync($"{runUrl}/steps/{stepId}", "#quiz-form", answers);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>Runs an action step with the values its form shows and waits for its job.</summary>
    public async Task<StepRun> RunActionAsync(string stepId, IDictionary<string, string>? overrides = null)
    {
        var (response, page) = await student.SubmitAsShownAsync($"{runUrl}/steps/{stepId}", "#action-form", overrides);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Submitting {stepId} answered {(int)response.StatusCode}: {page.QuerySelector(".invalid-feedback, .alert-danger")?.TextContent}");
        return await WaitForStepAsync(stepId);
    }

    /// <summary>Presses "Check my progress" and returns each check's verdict as the page shows it.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CheckAsync(string stepId)
    {
        var (response, page) = await student.SubmitAsync($"{runUrl}/steps/{stepId}", "#check-form", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return page.QuerySelectorAll("#check-results li").ToDictionary(li => li.GetAttribute("data-check")!, li => li.GetAttribute("data-verdict") + ": " + li.TextContent.Trim());
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
            using var scope = factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var latest = await db.StepRuns.Where(s => s.StepId == stepId).OrderByDescending(s => s.Id).FirstOrDefaultAsync();
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
        using var scope = factory.Services.CreateScope();
        var json = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().LabRuns.Select(r => r.OutputsJson).SingleAsync();
        return Features.LabRuns.RunView.ReadJson(json);
    }

    public async Task<List<LedgerEntry>> LedgerAsync()
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Ledger.OrderBy(e => e.Id).ToListAsync();
    }

    public Task<(HttpResponseMessage Response, AngleSharp.Dom.IDocument Document)> GetStepAsync(string stepId) => student.GetAsync($"{runUrl}/steps/{stepId}");

    public static void AssertSucceeded(StepRun step) =>
        Assert.True(step.Status == StepRunStatus.Succeeded, $"Step {step.StepId} failed: {step.ErrorCode} {step.ErrorMessage}");
}
