using System.Net;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E;

/// <summary>
/// Drives the shipped Lab 2 through the portal's pages as a student would (no JavaScript), on top of
/// <see cref="Lab1Flow"/>'s form and job helpers: the quizzes from the lab's own answers, each action
/// with the values its form shows, the drill timeline as the page reads it.
/// </summary>
public sealed class Lab2Flow(PortalFactory factory, Lab1Flow pages)
{
    public const string LabId = "asg-behind-alb";

    public static readonly LabDefinition Lab = LabCatalog.Load(Lab1Flow.ShippedLabs).Find(LabId)!;

    public Lab1Flow Pages => pages;

    public PortalFactory Factory => factory;

    public PortalClient Student => pages.Student;

    public string RunUrl => pages.RunUrl;

    public static async Task<Lab2Flow> StartAsync(PortalFactory factory, string studentName)
    {
        var code = await Students.CreateClassAsync(factory, "LAB2" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var student = await Students.JoinAsync(factory, code, studentName);
        var (started, _) = await student.SubmitAsync("/labs", $"#start-{LabId}", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var location = started.Headers.Location!;
        return new Lab2Flow(factory, new Lab1Flow(factory.DataDirectory, student, location.IsAbsoluteUri ? location.PathAndQuery : "/" + location.OriginalString.TrimStart('/')));
    }

    public async Task PassQuizAsync(string stepId)
    {
        var outcome = await pages.Wizard.AnswerAsync(pages.RunId, stepId, Lab.Step(stepId)!.Quiz.ToDictionary(q => q.Id, q => q.Answer));
        Assert.True(outcome is { Passed: true }, $"The quiz of {stepId} did not pass.");
    }

    /// <summary>Runs an action step with the values its form shows and waits for its job (Lab 2's waits are longer: groups launch and replace instances).</summary>
    public async Task<StepRun> RunActionAsync(string stepId, IDictionary<string, string>? overrides = null)
    {
        var result = await pages.Wizard.SubmitAsShownAsync(pages.RunId, stepId, overrides);
        Assert.True(result is { Succeeded: true }, $"Submitting {stepId} was refused: {(result is null ? "not found" : string.Join("; ", result.Errors.Values))}");
        return await pages.WaitForStepAsync(stepId, TimeSpan.FromMinutes(3));
    }

    /// <summary>Runs every step up to and including the ELB health checks, asserting each succeeds.</summary>
    public async Task BuildUpToElbHealthChecksAsync()
    {
        await PassQuizAsync("concepts");
        foreach (var step in new[] { "launch-template", "auto-scaling-group", "target-group", "load-balancer", "scale-before-attach", "attach" })
        {
            Lab1Flow.AssertSucceeded(await RunActionAsync(step));
        }

        await PassQuizAsync("think");
        Lab1Flow.AssertSucceeded(await RunActionAsync("elb-health-checks"));
    }

    /// <summary>The drill timeline as the drill step's page reads it (through the wizard, for this student).</summary>
    public async Task<LabPortal.Features.LabRuns.Drill.DrillTimelineView?> GetTimelineAsync()
    {
        var drill = await pages.Wizard.Wizard.DrillAsync(await pages.Wizard.UserIdAsync(), pages.RunId);
        Assert.True(drill is { Problem: null }, drill?.Problem);
        return drill!.Value.Timeline;
    }

    public async Task<AwsClients> LearnerClientsAsync()
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var run = db.LabRuns.Single();
        return await scope.ServiceProvider.GetRequiredService<Infrastructure.Cloud.LearnerCloud>().ClientsForAsync(run, Lab.Region);
    }
}
