using System.Net;
using Hangfire;
using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Cloud;
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

        Assert.StartsWith($"Reason: {TeardownReason.Learner.StoredName()}.", trails[byFinish.RunId][1].Detail, StringComparison.Ordinal);
        Assert.StartsWith($"Reason: {TeardownReason.Reset.StoredName()}.", trails[byReset.RunId][1].Detail, StringComparison.Ordinal);
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

    [Fact]
    public async Task Sweeper_clean_up_this_run_and_a_reset_share_RunTeardown_with_the_same_audit_and_verification_scan()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "ONETD2");
        var classId = await PortalState.ClassIdAsync(factory, code);
        var runs = new Dictionary<string, (int RunId, int LearnerId, string AccountId)>();
        foreach (var name in new[] { "Swept Learner", "Reset Learner" })
        {
            using var student = await Students.JoinAsync(factory, code, name);
            runs[name] = await RunWithOneGroupAsync(factory, await PortalState.UserIdAsync(factory, name));
        }

        var (sweptRun, _, _) = runs["Swept Learner"];
        var (resetRun, resetLearner, _) = runs["Reset Learner"];
        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var instructorId = await PortalState.ReadAsync(factory, db => db.Users.Where(u => u.UserName == instructor.UserName).Select(u => u.Id).SingleAsync());

        // The sweeper lists both runs; without the confirmation nothing happens.
        var (_, page) = await instructor.GetAsync($"/classes/{classId}/orphans");
        Assert.Equal([sweptRun, resetRun], page.QuerySelectorAll("#runs tbody tr").Select(r => int.Parse(r.GetAttribute("data-run")!, System.Globalization.CultureInfo.InvariantCulture)).Order());
        // (The page asks in a dialog; its form-post twin takes the same confirmation as a field.)
        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        var runField = new Dictionary<string, string> { ["runId"] = sweptRun.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var unconfirmed = await PortalState.PostAsync(instructor, $"/classes/{classId}/orphans/cleanup-run", token, runField);
        Assert.Contains("status=failed", unconfirmed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(LabRunStatus.Active, await PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == sweptRun).Select(r => r.Status).SingleAsync()));
        Assert.Equal(0, await PortalState.ReadAsync(factory, db => db.Audit.CountAsync(a => a.LabRunId == sweptRun)));

        var swept = await PortalState.PostAsync(instructor, $"/classes/{classId}/orphans/cleanup-run", token, new Dictionary<string, string>(runField) { ["confirm"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, swept.StatusCode);
        Assert.Contains("status=cleaning", swept.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalState.ResetAsync(instructor, $"/classes/{classId}/learners/{resetLearner}/reset", token)).StatusCode);

        var trails = new Dictionary<int, List<AuditEntry>>();
        foreach (var runId in new[] { sweptRun, resetRun })
        {
            await PortalState.WaitForAsync(factory, db => db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == runId), r => r.Status == LabRunStatus.TornDown, $"the teardown of run {runId}", seconds: 120);
            trails[runId] = await PortalState.ReadAsync(factory, db => db.Audit.Where(a => a.LabRunId == runId && a.Action == AuditActions.Teardown).OrderBy(a => a.Id).ToListAsync());
            Assert.Equal([AuditLog.Started, AuditLog.Succeeded], trails[runId].Select(a => a.Outcome));
            Assert.Contains("1 resource(s) deleted. Verification scan: nothing left.", trails[runId][1].Detail, StringComparison.Ordinal);
            Assert.All(trails[runId], a => Assert.Equal(classId, a.ClassroomId));
            Assert.All(trails[runId], a => Assert.Equal(instructorId, a.ActorUserId));
            Assert.All(await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == runId).ToListAsync()), e => Assert.Equal(LedgerState.Deleted, e.State));
        }

        // The same entries, differing only in the reason.
        Assert.Equal(trails[resetRun][1].Detail.Replace($"Reason: {TeardownReason.Reset.StoredName()}.", "", StringComparison.Ordinal), trails[sweptRun][1].Detail.Replace($"Reason: {TeardownReason.Sweeper.StoredName()}.", "", StringComparison.Ordinal));
        Assert.StartsWith($"Reason: {TeardownReason.Sweeper.StoredName()}.", trails[sweptRun][1].Detail, StringComparison.Ordinal);

        // The run is TornDown once the job's work is committed; Hangfire records the job as succeeded just after.
        var monitoring = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        HashSet<int> SucceededTeardowns() => monitoring.SucceededJobs(0, 1000).Select(j => j.Value.Job).Where(j => j?.Type == typeof(RunTeardown)).Select(j => (int)j!.Args[0]!).ToHashSet();
        var waitedUntil = DateTime.UtcNow.AddSeconds(30);
        while (!SucceededTeardowns().IsSupersetOf([sweptRun, resetRun]) && DateTime.UtcNow < waitedUntil)
        {
            await Task.Delay(100);
        }

        var teardownJobs = SucceededTeardowns();
        Assert.Contains(sweptRun, teardownJobs);
        Assert.Contains(resetRun, teardownJobs);
        var accounts = factory.Services.GetRequiredService<ISandboxAccounts>();
        foreach (var (_, _, accountId) in runs.Values)
        {
            var left = await accounts.ListResourcesAsync(accountId);
            Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
        }
    }

    /// <summary>A run whose ledger holds one security group, made in the learner's sandbox account with the run's tags.</summary>
    private static async Task<(int RunId, int LearnerId, string AccountId)> RunWithOneGroupAsync(PortalFactory factory, int learnerId)
    {
        using var scope = factory.Services.CreateScope();
        var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var account = await cloud.SandboxAccountForUserAsync(learnerId);
        var now = DateTime.UtcNow;
        var run = new LabRun { UserId = learnerId, LabId = "alb-two-web-servers", Status = LabRunStatus.Active, NamePrefix = "lpone" + learnerId, StartedAtUtc = now, LastActivityAtUtc = now, CloudAccountId = account.Id };
        db.LabRuns.Add(run);
        await db.SaveChangesAsync();
        var clients = cloud.SandboxClients(account, "ap-northeast-2");
        var group = (await clients.Ec2.CreateSecurityGroupAsync(new Amazon.EC2.Model.CreateSecurityGroupRequest
        {
            GroupName = "web-sg",
            Description = "web",
            TagSpecifications = [new Amazon.EC2.Model.TagSpecification { ResourceType = "security-group", Tags = [new Amazon.EC2.Model.Tag("lab-portal:run", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Amazon.EC2.Model.Tag("lab-portal:learner", learnerId.ToString(System.Globalization.CultureInfo.InvariantCulture))] }],
        })).GroupId!;
        run.Ledger.Add(new LedgerEntry { Kind = ResourceKind.SecurityGroup, Name = "web-sg", ResourceId = group, Region = "ap-northeast-2", State = LedgerState.Created, CreatedAtUtc = now, CompletedAtUtc = now });
        await db.SaveChangesAsync();
        return (run.Id, learnerId, account.AccountId);
    }
}
