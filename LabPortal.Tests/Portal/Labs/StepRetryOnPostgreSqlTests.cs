using Hangfire;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Jobs;
using LabPortal.Tests.E2E.Cleanup;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Labs;

/// <summary>
/// <see cref="StepRetryTests"/> on PostgreSQL, always: a lab run's step records on PostgreSQL: attempts, failures and the
/// retried success, written by jobs on PostgreSQL storage. And what only a storage shared by several nodes needs: a job
/// handed to this node after the node running it died comes back once the dead execution's lease has run out, and a
/// duplicate delivery while the lease's holder still works leaves the work to it.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed class StepRetryOnPostgreSqlTests() : StepRetryTests(TestDatabaseProvider.PostgreSql)
{
    [Fact]
    public async Task Delivery_that_finds_a_dead_executions_lease_comes_back_after_it_and_finishes_the_step()
    {
        // The step ran once; make its row what a node killed in the middle of the step leaves behind: running,
        // leased for a while yet. Then the job is delivered again, as Hangfire does once the dead node stops renewing it.
        var stepRunId = await SubmitActionStepAsync("RETRY3");
        Assert.Equal(StepRunStatus.Succeeded, (await WaitForEndAsync(stepRunId)).Status);
        var leaseUntil = DateTime.UtcNow.AddSeconds(3);
        await PortalState.ReadAsync(Factory, db => db.StepRuns.Where(s => s.Id == stepRunId).ExecuteUpdateAsync(set => set
            .SetProperty(s => s.Status, StepRunStatus.Running)
            .SetProperty(s => s.FinishedAtUtc, (DateTime?)null)
            .SetProperty(s => s.LeaseUntilUtc, leaseUntil)));
        StepRunner.Enqueue(Factory.Services.GetRequiredService<IBackgroundJobClient>(), stepRunId);

        // That delivery leaves the step alone while the lease holds, and the step finishes once it has run out.
        var step = await WaitForEndAsync(stepRunId);
        Assert.True(step.Status == StepRunStatus.Succeeded, $"{step.Status}: {step.ErrorCode} {step.ErrorMessage}");
        var executions = Action.Executions.Order().ToList();
        Assert.Equal(2, executions.Count);
        Assert.True(executions[1] >= leaseUntil, $"The second execution started at {executions[1]:O}, inside the lease (until {leaseUntil:O}).");
    }

    [Fact]
    public async Task Duplicate_delivery_while_the_lease_holder_works_schedules_no_come_back()
    {
        // The step's job works (its lease held by that job, processing on this live node) until the test lets it go.
        Action.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stepRunId = await SubmitActionStepAsync("RETRY4");
        await WaitUntilAsync(() => !Action.Executions.IsEmpty, "the step's first execution");
        var executions = Factory.Services.GetRequiredService<JobExecutions>();
        var skippedBefore = executions.SkippedCount(JobExecutions.Step);

        // The job delivered a second time meanwhile: it finds the lease held and ends, scheduling nothing.
        StepRunner.Enqueue(Factory.Services.GetRequiredService<IBackgroundJobClient>(), stepRunId);
        await WaitUntilAsync(() => executions.SkippedCount(JobExecutions.Step) > skippedBefore, "the duplicate delivery");
        var monitoring = Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Equal(0, monitoring.ScheduledCount());

        // The holder finishes the step alone.
        Action.Hold.SetResult();
        var step = await WaitForEndAsync(stepRunId);
        Assert.True(step.Status == StepRunStatus.Succeeded, $"{step.Status}: {step.ErrorCode} {step.ErrorMessage}");
        Assert.Single(Action.Executions);
        Assert.Equal(0, monitoring.ScheduledCount());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited in vain for {what}.");
            await Task.Delay(50);
        }
    }
}
