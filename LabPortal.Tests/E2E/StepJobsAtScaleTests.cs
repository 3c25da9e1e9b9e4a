using Hangfire;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Jobs;
using LabPortal.Sandbox.Accounts;
using LabPortal.Tests.E2E.Cleanup;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LabPortal.Tests.E2E;

/// <summary>
/// Hangfire delivers a job at least once. Twenty learners run Lab 1 at the same time on eight
/// workers: four action steps and the finish step's teardown each, 100 step jobs, and every one of
/// them is delivered a second time (enqueued again with the same step run id, as a redelivery after
/// a lost acknowledgement would). No second delivery may have an effect: each account holds exactly
/// what its run's ledger says, before the teardown and after it.
/// </summary>
[Trait("Category", "E2E")]
public sealed class StepJobsAtScaleTests(ITestOutputHelper output) : IDisposable
{
    private const int Learners = 20;
    private const int Workers = 8;

    private readonly TempDirectory _data = new("labportal-scale");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Hundred_step_jobs_from_twenty_learners_on_eight_workers_each_delivered_twice_have_no_duplicate_effect()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox(new Dictionary<string, string?>
        {
            ["Jobs:MaxConcurrency"] = Workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        var jobs = factory.Services.GetRequiredService<IBackgroundJobClient>();
        var code = await Students.CreateClassAsync(factory, "SCALE1");
        var drivers = new List<LabDriver>();
        for (var i = 1; i <= Learners; i++)
        {
            drivers.Add(await LabDriver.StartAsync(factory, await Students.JoinAsync(factory, code, $"Scale Learner {i:00}"), Lab1Flow.ShippedLabs, "alb-two-web-servers"));
        }

        var lab = drivers[0].Lab;
        var jobSteps = lab.Steps.Where(s => s.Kind is StepKind.Action or StepKind.Finish).Select(s => s.Id).ToList();
        Assert.Equal(100, Learners * jobSteps.Count);

        // Every learner works through the lab at once; each step job is enqueued a second time as soon as it exists.
        await Task.WhenAll(drivers.Select(driver => Task.Run(async () =>
        {
            foreach (var step in lab.Steps.TakeWhile(s => s.Kind != StepKind.Finish))
            {
                if (step.Kind == StepKind.Action)
                {
                    var result = await driver.Wizard.SubmitAsShownAsync(driver.RunId, step.Id);
                    Assert.True(result is { Succeeded: true }, $"Submitting {step.Id} was refused.");
                    StepRunner.Enqueue(jobs, await LatestStepRunIdAsync(factory, driver.RunId, step.Id));
                    var done = await driver.WaitForStepAsync(step.Id);
                    Assert.True(done.Status == StepRunStatus.Succeeded, $"{step.Id}: {done.ErrorCode} {done.ErrorMessage}");
                }
                else
                {
                    await driver.DoStepAsync(step);
                }
            }
        })));
        await WaitForIdleQueuesAsync(factory);

        // Before the teardown: each account holds exactly its ledger, two instances each.
        foreach (var driver in drivers)
        {
            var ledger = await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == driver.RunId).ToListAsync());
            Assert.All(ledger, e => Assert.True(e.State == LedgerState.Created && e.ResourceId is not null, $"run {driver.RunId}: {e.Kind} {e.Name} is {e.State}"));
            Assert.Equal(2, ledger.Count(e => e.Kind == ResourceKind.Instance));
            Assert.Equal(
                ledger.Select(e => e.ResourceId!).Order(StringComparer.Ordinal),
                await AccountResourcesAsync(factory, driver.RunId));
            Assert.All(
                await PortalState.ReadAsync(factory, db => db.StepRuns.Where(s => s.LabRunId == driver.RunId).GroupBy(s => s.StepId).Select(g => g.Count()).ToListAsync()),
                count => Assert.Equal(1, count));
        }

        // The finish step's teardown, also delivered twice.
        await Task.WhenAll(drivers.Select(driver => Task.Run(async () =>
        {
            var torn = await driver.Wizard.SubmitAsShownAsync(driver.RunId, "finish");
            Assert.True(torn is { Succeeded: true }, "Tear down was refused.");
            StepRunner.Enqueue(jobs, await LatestStepRunIdAsync(factory, driver.RunId, "finish"));
            var done = await driver.WaitForStepAsync("finish");
            Assert.True(done.Status == StepRunStatus.Succeeded, $"finish: {done.ErrorCode} {done.ErrorMessage}");
        })));
        await WaitForIdleQueuesAsync(factory);

        foreach (var driver in drivers)
        {
            Assert.Equal(LabRunStatus.TornDown, await PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == driver.RunId).Select(r => r.Status).SingleAsync()));
            Assert.Empty(await AccountResourcesAsync(factory, driver.RunId));
            Assert.Equal(1, await PortalState.ReadAsync(factory, db => db.Audit.CountAsync(a => a.LabRunId == driver.RunId && a.Action == LabPortal.Infrastructure.Audit.AuditActions.Teardown && a.Outcome == LabPortal.Infrastructure.Audit.AuditLog.Started)));
        }

        // Every delivery ran: it either did the work (or a continuation of it) or found the step done or
        // leased and stepped aside. The duplicates are counted, not hidden.
        var executions = factory.Services.GetRequiredService<JobExecutions>();
        var started = executions.StartedCount(JobExecutions.Step);
        var skipped = executions.SkippedCount(JobExecutions.Step);
        var stepRuns = await PortalState.ReadAsync(factory, db => db.StepRuns.Where(s => jobSteps.Contains(s.StepId)).ToListAsync());
        Assert.Equal(100, stepRuns.Count);
        var attempts = stepRuns.Sum(s => s.Attempts);
        output.WriteLine($"{stepRuns.Count} step jobs, {2 * stepRuns.Count} deliveries on {Workers} workers: {started} executions did work (continuations included), {skipped} duplicate deliveries stepped aside; {attempts} attempts recorded.");
        Assert.True(started + skipped >= 2 * stepRuns.Count, $"{started} + {skipped} executions for {2 * stepRuns.Count} deliveries.");
        Assert.True(skipped > 0, "No duplicate delivery was recognised as one.");
        Assert.Equal(stepRuns.Count, attempts);
    }

    private static Task<int> LatestStepRunIdAsync(PortalFactory factory, int runId, string stepId) =>
        PortalState.ReadAsync(factory, db => db.StepRuns.Where(s => s.LabRunId == runId && s.StepId == stepId).OrderByDescending(s => s.Id).Select(s => s.Id).FirstAsync());

    private static async Task<List<string>> AccountResourcesAsync(PortalFactory factory, int runId)
    {
        var accountId = await PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == runId).Select(r => r.CloudAccount!.AccountId).SingleAsync());
        var owned = await factory.Services.GetRequiredService<ISandboxAccounts>().ListResourcesAsync(accountId);
        return owned.Select(r => r.ResourceId).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Waits until Hangfire has nothing enqueued, processing or scheduled: every delivery has run.</summary>
    private static async Task WaitForIdleQueuesAsync(PortalFactory factory)
    {
        var monitoring = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var statistics = monitoring.GetStatistics();
            if (statistics.Enqueued == 0 && statistics.Processing == 0 && statistics.Scheduled == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Hangfire still busy: {statistics.Enqueued} enqueued, {statistics.Processing} processing, {statistics.Scheduled} scheduled.");
            await Task.Delay(200);
        }
    }
}
