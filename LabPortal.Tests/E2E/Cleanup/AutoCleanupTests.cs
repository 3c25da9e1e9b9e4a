using LabPortal.Features.Cleanup;
using LabPortal.Infrastructure.Activity;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox.Accounts;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// Auto-cleanup at a high time scale (<c>Cleanup:TimeScale</c> 60: a one-minute idle limit is one
/// second, a five-minute countdown five seconds) with the recurring job every second.
/// </summary>
[Trait("Category", "E2E")]
public sealed class AutoCleanupTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Abandoned_run_is_warned_with_a_countdown_then_torn_down_after_the_idle_limit()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox(new Dictionary<string, string?>
        {
            ["Cleanup:Interval"] = "00:00:01",
            ["Cleanup:TimeScale"] = "60",
            ["Cleanup:WarningPeriod"] = "00:05:00",
        }));
        var code = await Students.CreateClassAsync(factory, "IDLE01");
        var classId = await PortalState.ClassIdAsync(factory, code);
        var student = await Students.JoinAsync(factory, code, "Idle Learner");
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        await driver.FinishAllButTeardownAsync(stopBefore: "instances");

        // While in use, the page shows the time left (server-rendered: no script needed).
        var (_, before) = await student.GetAsync($"{driver.RunUrl}/steps/security-group");
        Assert.NotNull(before.QuerySelector("#lab-timer #lab-timer-left"));
        Assert.Null(before.QuerySelector("#cleanup-banner"));

        // Then the learner walks away, with a one-minute idle limit.
        await PortalState.SetLimitsAsync(factory, classId, idleMinutes: 1, lifetimeMinutes: 480);
        await PortalState.WaitForAsync(factory, db => db.LabRuns.Where(r => r.Id == driver.RunId).Select(r => r.CleanupWarnedAtUtc).SingleAsync(), w => w is not null, "the cleanup warning");

        var (_, warned) = await student.GetAsync($"{driver.RunUrl}/steps/security-group");
        var banner = warned.QuerySelector("#cleanup-banner");
        Assert.NotNull(banner);
        Assert.NotNull(banner.QuerySelector("[role=alert]"));
        Assert.NotNull(warned.QuerySelector("#cleanup-countdown"));
        Assert.NotNull(warned.QuerySelector("#keep-working"));
        Assert.Contains("torn down in", banner.TextContent, StringComparison.Ordinal);

        var run = await PortalState.WaitForAsync(factory, db => db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == driver.RunId), r => r.Status == LabRunStatus.TornDown, "the teardown after the countdown");
        Assert.Equal(CleanUpIdleRuns.Reason, run.TeardownReason);
        Assert.All(await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == run.Id).ToListAsync()), e => Assert.Equal(LedgerState.Deleted, e.State));
        var account = await PortalState.ReadAsync(factory, db => db.CloudAccounts.SingleAsync(a => a.UserId == run.UserId));
        Assert.Empty(await factory.Services.GetRequiredService<ISandboxAccounts>().ListResourcesAsync(account.AccountId));
        var audit = await PortalState.ReadAsync(factory, db => db.Audit.Where(a => a.LabRunId == run.Id).OrderBy(a => a.Id).Select(a => a.Action + ":" + a.Outcome).ToListAsync());
        Assert.Equal(["cleanup-warned:succeeded", "teardown:started", "teardown:succeeded"], audit);
        Assert.All(await PortalState.ReadAsync(factory, db => db.Audit.Where(a => a.LabRunId == run.Id).ToListAsync()), a => Assert.Equal(classId, a.ClassroomId));
    }

    [Fact]
    public async Task Keep_working_extends_once_and_a_second_press_is_refused_with_a_message()
    {
        await using var factory = new PortalFactory(_data.Path, new Dictionary<string, string?>
        {
            ["Cleanup:Interval"] = "00:00:01",
            ["Cleanup:TimeScale"] = "60",
            ["Cleanup:WarningPeriod"] = "00:10:00",
        });
        var code = await Students.CreateClassAsync(factory, "KEEP01");
        var classId = await PortalState.ClassIdAsync(factory, code);
        await PortalState.SetLimitsAsync(factory, classId, idleMinutes: 1, lifetimeMinutes: 480);
        var student = await Students.JoinAsync(factory, code, "Keen Learner", acceptLanguage: "ko");
        var driver = await LabDriver.StartAsync(factory, student, PortalFactory.FixtureLabs, "fixture-lab");
        var page = $"{driver.RunUrl}/steps/welcome";
        await WaitForWarningAsync(factory, driver.RunId);

        var userId = await driver.Wizard.UserIdAsync();
        Assert.Equal(KeepWorkingResult.Extended, await driver.Wizard.Wizard.KeepWorkingAsync(userId, driver.RunId));
        var extended = await PortalState.ReadAsync(factory, db => db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == driver.RunId));
        Assert.NotNull(extended.ExtendedAtUtc);
        Assert.Null(extended.CleanupWarnedAtUtc);
        Assert.Equal(LabRunStatus.Active, extended.Status);

        // Idle again: warned again, and this time the banner offers no extension.
        await WaitForWarningAsync(factory, driver.RunId);
        var (_, warnedAgain) = await student.GetAsync(page);
        Assert.NotNull(warnedAgain.QuerySelector("#cleanup-banner"));
        Assert.Null(warnedAgain.QuerySelector("#keep-working"));
        Assert.NotNull(warnedAgain.QuerySelector("#keep-working-used"));

        // A second press anyway (an old tab still showing the button) is refused and changes nothing.
        Assert.Equal(KeepWorkingResult.AlreadyExtended, await driver.Wizard.Wizard.KeepWorkingAsync(userId, driver.RunId));
        var after = await PortalState.ReadAsync(factory, db => db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == driver.RunId));
        Assert.Equal(extended.ExtendedAtUtc, after.ExtendedAtUtc);
        Assert.NotNull(after.CleanupWarnedAtUtc);
        var keeps = await PortalState.ReadAsync(factory, db => db.Audit.Where(a => a.Action == AuditActions.KeepWorking).OrderBy(a => a.Id).Select(a => a.Outcome).ToListAsync());
        Assert.Equal([AuditLog.Succeeded, AuditLog.Refused], keeps);
    }

    [Fact]
    public async Task Learner_page_views_restart_the_idle_clock()
    {
        await using var factory = new PortalFactory(_data.Path);
        var code = await Students.CreateClassAsync(factory, "TOUCH1");
        var student = await Students.JoinAsync(factory, code, "Busy Learner");
        var driver = await LabDriver.StartAsync(factory, student, PortalFactory.FixtureLabs, "fixture-lab");
        var longAgo = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Task SetIdleAsync() => PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == driver.RunId).ExecuteUpdateAsync(u => u.SetProperty(r => r.LastActivityAtUtc, longAgo)));
        Task<DateTime> LastActivityAsync() => PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == driver.RunId).Select(r => r.LastActivityAtUtc).SingleAsync());

        await SetIdleAsync();
        await student.GetAsync($"{driver.RunUrl}/steps/concepts");
        Assert.True(await LastActivityAsync() > longAgo, "Viewing a step did not count as activity.");

        await SetIdleAsync();
        await student.GetAsync($"{driver.RunUrl}/live");
        Assert.True(await LastActivityAsync() > longAgo, "Viewing the live panel did not count as activity.");
    }

    private static Task<DateTime?> WaitForWarningAsync(PortalFactory factory, int runId) =>
        PortalState.WaitForAsync(factory, db => db.LabRuns.Where(r => r.Id == runId).Select(r => r.CleanupWarnedAtUtc).SingleAsync(), w => w is not null, "the cleanup warning", seconds: 30);
}
