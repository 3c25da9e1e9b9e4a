using LabPortal.Features.Cleanup;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox.Accounts;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// The last step of each shipped lab offers a choice: "Keep my resources" ends the run with
/// everything left in the cloud (status Kept, audited), "Tear everything down" deletes it all.
/// A kept run is cleaned by auto-cleanup once its grace period is over.
/// </summary>
[Trait("Category", "E2E")]
public sealed class FinishChoiceOnSandboxTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("alb-two-web-servers")]
    [InlineData("asg-behind-alb")]
    public async Task Keep_leaves_the_resources_and_a_later_tear_down_leaves_nothing(string labId)
    {
        await using var factory = SandboxPortal(new Dictionary<string, string?>());
        var code = await Students.CreateClassAsync(factory, "KEEP01");
        var classId = await PortalState.ClassIdAsync(factory, code);
        var student = await Students.JoinAsync(factory, code, "Keep Learner");
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, labId);
        await driver.FinishAllButTeardownAsync();
        var accountId = await PortalState.ReadAsync(factory, db => db.CloudAccounts.Select(a => a.AccountId).SingleAsync());
        var accounts = factory.Services.GetRequiredService<ISandboxAccounts>();
        var before = await accounts.ListResourcesAsync(accountId);
        Assert.NotEmpty(before);

        // The finish step offers both choices.
        var finish = $"{driver.RunUrl}/steps/finish";
        var (_, offered) = await student.GetAsync(finish);
        Assert.NotNull(offered.QuerySelector("button#keep-resources:not([disabled])"));
        Assert.Contains("Tear everything down", offered.QuerySelector("button#tear-down:not([disabled])")!.TextContent, StringComparison.Ordinal);

        var kept = await driver.Wizard.Wizard.KeepAsync(await driver.Wizard.UserIdAsync(), driver.RunId, "finish");
        Assert.True(kept is { Succeeded: true });

        var run = await PortalState.ReadAsync(factory, db => db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == driver.RunId));
        Assert.Equal(LabRunStatus.Kept, run.Status);
        Assert.NotNull(run.FinishedAtUtc);
        var after = await accounts.ListResourcesAsync(accountId);
        // Everything but instances is still there as it was (an Auto Scaling group may replace an instance meanwhile).
        Assert.Equal(
            before.Where(r => r.ResourceType != "instance").Select(r => r.ResourceId).Order(),
            after.Where(r => r.ResourceType != "instance").Select(r => r.ResourceId).Order());
        Assert.Contains(after, r => r.ResourceType == "instance");
        var audit = await PortalState.ReadAsync(factory, db => db.Audit.Where(a => a.LabRunId == run.Id).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal((AuditActions.KeepResources, AuditLog.Succeeded, run.UserId, classId), (entry.Action, entry.Outcome, entry.ActorUserId, entry.ClassroomId));
        Assert.Equal(StepRunStatus.Succeeded, (await driver.WaitForStepAsync("finish")).Status);

        // The page now says the resources are kept (and until when); the keep button is gone.
        var (_, keptPage) = await student.GetAsync(finish);
        Assert.NotNull(keptPage.QuerySelector("#kept-notice time"));
        Assert.Null(keptPage.QuerySelector("#keep-resources"));
        Assert.NotNull(keptPage.QuerySelector("button#tear-down"));
        var (_, labs) = await student.GetAsync("/labs");
        Assert.NotNull(labs.QuerySelector($"a#kept-{labId}[href$='/steps/finish']"));

        // Tearing down later still works and leaves nothing.
        var torn = await driver.Wizard.SubmitAsShownAsync(driver.RunId, "finish");
        Assert.True(torn is { Succeeded: true }, $"Tear down was refused: {(torn is null ? "not found" : string.Join("; ", torn.Errors.Values))}");
        var teardown = await PortalState.WaitForAsync(
            factory,
            db => db.StepRuns.Where(s => s.LabRunId == run.Id && s.StepId == "finish").OrderByDescending(s => s.Id).FirstAsync(),
            s => s.Status is StepRunStatus.Succeeded or StepRunStatus.Failed && s.InputJson != """{"choice":"keep"}""",
            "the teardown",
            seconds: 180);
        Assert.True(teardown.Status == StepRunStatus.Succeeded, $"{teardown.ErrorCode} {teardown.ErrorMessage}");
        Assert.Equal(LabRunStatus.TornDown, await PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == run.Id).Select(r => r.Status).SingleAsync()));
        var left = await accounts.ListResourcesAsync(accountId);
        Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
    }

    [Fact]
    public async Task Kept_run_is_cleaned_by_auto_cleanup_after_its_grace_period()
    {
        await using var factory = SandboxPortal(new Dictionary<string, string?>
        {
            ["Cleanup:Interval"] = "00:00:01",
            ["Cleanup:FinishedGracePeriod"] = "00:00:08",
        });
        var code = await Students.CreateClassAsync(factory, "KEEP02");
        var classId = await PortalState.ClassIdAsync(factory, code);
        var student = await Students.JoinAsync(factory, code, "Grace Learner");
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        await driver.FinishAllButTeardownAsync();
        var kept = await driver.Wizard.Wizard.KeepAsync(await driver.Wizard.UserIdAsync(), driver.RunId, "finish");
        Assert.True(kept is { Succeeded: true });
        var keptRun = await PortalState.ReadAsync(factory, db => db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == driver.RunId));
        Assert.Equal(LabRunStatus.Kept, keptRun.Status);
        var accountId = await PortalState.ReadAsync(factory, db => db.CloudAccounts.Select(a => a.AccountId).SingleAsync());
        var accounts = factory.Services.GetRequiredService<ISandboxAccounts>();
        Assert.NotEmpty(await accounts.ListResourcesAsync(accountId));

        var run = await PortalState.WaitForAsync(factory, db => db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == driver.RunId), r => r.Status == LabRunStatus.TornDown, "the auto-cleanup of the kept run", seconds: 120);

        // Not before the grace period: the teardown started only once it was over.
        var started = await PortalState.ReadAsync(factory, db => db.Audit.Where(a => a.LabRunId == run.Id && a.Action == AuditActions.Teardown && a.Outcome == AuditLog.Started).Select(a => a.AtUtc).SingleAsync());
        Assert.True(started >= keptRun.FinishedAtUtc!.Value.AddSeconds(8), $"Torn down at {started:O}, kept at {keptRun.FinishedAtUtc:O}: before the grace period ended.");
        Assert.Equal(CleanUpIdleRuns.Reason, run.TeardownReason);
        Assert.All(await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == run.Id).ToListAsync()), e => Assert.Equal(LedgerState.Deleted, e.State));
        var left = await accounts.ListResourcesAsync(accountId);
        Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
        var audit = await PortalState.ReadAsync(factory, db => db.Audit.Where(a => a.LabRunId == run.Id).OrderBy(a => a.Id).Select(a => a.Action + ":" + a.Outcome).ToListAsync());
        Assert.Equal(["keep-resources:succeeded", "teardown:started", "teardown:succeeded"], audit);
        Assert.All(await PortalState.ReadAsync(factory, db => db.Audit.Where(a => a.LabRunId == run.Id).ToListAsync()), a => Assert.Equal(classId, a.ClassroomId));
    }

    private PortalFactory SandboxPortal(Dictionary<string, string?> extra)
    {
        var settings = PortalFactory.OnSandbox();
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new PortalFactory(_data.Path, settings);
    }
}
