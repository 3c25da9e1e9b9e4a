using System.Net;
using Hangfire;
using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Jobs;
using LabPortal.Sandbox.Accounts;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// The finish step's "Tear everything down" and an instructor's reset are one use case
/// (<see cref="RunTeardown"/>): both runs are torn down by RunTeardown jobs, write the same audit
/// entries (started, then succeeded with the verification scan's verdict) and leave nothing in the cloud.
/// </summary>
[Trait("Category", "E2E")]
public sealed class OneTeardownTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Finish_step_teardown_and_reset_share_RunTeardown_with_the_same_audit_and_verification_scan()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "ONETD1");
        var classId = await PortalState.ClassIdAsync(factory, code);
        using var finisher = await Students.JoinAsync(factory, code, "Finish Learner");
        using var reset = await Students.JoinAsync(factory, code, "Reset Learner");
        var resetId = await PortalState.UserIdAsync(factory, "Reset Learner");
        var byFinish = await LabDriver.StartAsync(factory, finisher, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        var byReset = await LabDriver.StartAsync(factory, reset, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        await Task.WhenAll(byFinish.FinishAllButTeardownAsync(), byReset.FinishAllButTeardownAsync());

        var torn = await new WizardDriver(finisher).SubmitAsShownAsync(byFinish.RunId, "finish");
        Assert.True(torn is { Succeeded: true }, $"Tear down was refused: {(torn is null ? "not found" : string.Join("; ", torn.Errors.Values))}");
        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        Assert.Equal(HttpStatusCode.Redirect, (await PortalState.ResetAsync(instructor, $"/classes/{classId}/learners/{resetId}/reset", token)).StatusCode);

        foreach (var runId in new[] { byFinish.RunId, byReset.RunId })
        {
            await PortalState.WaitForAsync(factory, db => db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == runId), r => r.Status == LabRunStatus.TornDown, $"the teardown of run {runId}", seconds: 180);
        }

        var finishStep = await byFinish.WaitForStepAsync("finish");
        Assert.True(finishStep.Status == StepRunStatus.Succeeded, $"{finishStep.ErrorCode} {finishStep.ErrorMessage}");

        // The same audit trail for both, differing only in the reason and who asked.
        var trails = new Dictionary<int, List<AuditEntry>>();
        foreach (var runId in new[] { byFinish.RunId, byReset.RunId })
        {
            trails[runId] = await PortalState.ReadAsync(factory, db => db.Audit.Where(a => a.LabRunId == runId && a.Action == AuditActions.Teardown).OrderBy(a => a.Id).ToListAsync());
            Assert.Equal([AuditLog.Started, AuditLog.Succeeded], trails[runId].Select(a => a.Outcome));
            Assert.Contains("Verification scan: nothing left.", trails[runId][1].Detail, StringComparison.Ordinal);
            Assert.All(trails[runId], a => Assert.Equal(classId, a.ClassroomId));
            Assert.All(await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == runId).ToListAsync()), e => Assert.Equal(LedgerState.Deleted, e.State));
        }

        Assert.StartsWith($"Reason: {TeardownScheduler.LearnerReason}.", trails[byFinish.RunId][1].Detail, StringComparison.Ordinal);
        Assert.StartsWith($"Reason: {TeardownScheduler.ResetReason}.", trails[byReset.RunId][1].Detail, StringComparison.Ordinal);
        Assert.Equal(await PortalState.UserIdAsync(factory, "Finish Learner"), trails[byFinish.RunId][0].ActorUserId);

        // Both went through RunTeardown jobs (and nothing else tore down).
        var monitoring = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var teardownJobs = monitoring.SucceededJobs(0, 1000).Select(j => j.Value.Job).Where(j => j?.Type == typeof(RunTeardown)).Select(j => (int)j!.Args[0]!).ToHashSet();
        Assert.Contains(byFinish.RunId, teardownJobs);
        Assert.Contains(byReset.RunId, teardownJobs);
        Assert.True(factory.Services.GetRequiredService<JobExecutions>().StartedCount(JobExecutions.Teardown) >= 2);

        // And the cloud agrees: both learners' accounts are empty.
        var accounts = factory.Services.GetRequiredService<ISandboxAccounts>();
        foreach (var accountId in await PortalState.ReadAsync(factory, db => db.CloudAccounts.Select(a => a.AccountId).ToListAsync()))
        {
            var left = await accounts.ListResourcesAsync(accountId);
            Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
        }
    }
}
