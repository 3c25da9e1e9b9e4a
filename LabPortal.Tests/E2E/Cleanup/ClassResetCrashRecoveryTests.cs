using System.Globalization;
using System.Net;
using LabPortal.Features.Cleanup;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox.Accounts;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// An instructor resets a class of three learners who finished Lab 1, and the portal process is
/// killed (SIGKILL) four times during that one reset, each time at another moment, and started again
/// on the same data folder (database, Hangfire storage and the in-process sandbox's state, which
/// dies and comes back with the portal). After the last restart the reset must end by itself at a
/// verified zero: every run TornDown, every account empty, one teardown per run in the audit trail,
/// within the documented bound (ADR 0003).
/// </summary>
[Trait("Category", "E2E")]
public sealed class ClassResetCrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// From the last restart to the class's verified zero (ADR 0003): the start-up, one queue poll, and
    /// what is left of three learners' teardowns two at a time (instances take seconds to terminate at
    /// the killed portals' time scale, less after the last restart); generous for a machine shared with
    /// other test runs.
    /// </summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    private const int Learners = 3;

    private readonly TempDirectory _data = new("labportal-reset-crash");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Class_reset_killed_at_four_moments_ends_at_a_verified_zero_after_the_last_restart()
    {
        // Three learners finish Lab 1 (all but its finish step) on a fast sandbox.
        int classId;
        List<int> runIds = [];
        List<string> accountIds;
        await using (var setup = new PortalFactory(_data.Path, Settings(timeScale: 50)))
        {
            var code = await Students.CreateClassAsync(setup, "CRASHRS");
            classId = await PortalState.ClassIdAsync(setup, code);
            var drivers = new List<LabDriver>();
            for (var i = 1; i <= Learners; i++)
            {
                drivers.Add(await LabDriver.StartAsync(setup, await Students.JoinAsync(setup, code, $"Crash Reset Learner {i}"), Lab1Flow.ShippedLabs, "alb-two-web-servers"));
            }

            await Task.WhenAll(drivers.Select(d => d.FinishAllButTeardownAsync()));
            runIds = drivers.Select(d => d.RunId).ToList();
            accountIds = await PortalState.ReadAsync(setup, db => db.CloudAccounts.Select(a => a.AccountId).ToListAsync());
            var accounts = setup.Services.GetRequiredService<ISandboxAccounts>();
            foreach (var accountId in accountIds)
            {
                Assert.NotEmpty(await accounts.ListResourcesAsync(accountId));
            }
        }

        // Moment 1: the reset accepted (every run marked, its teardown enqueued), nothing deleted yet.
        using (var portal = await PortalProcess.StartAsync(Settings(timeScale: 3)))
        {
            using var instructor = portal.CreatePortalClient();
            await instructor.SignInAsInstructorAsync();
            var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
            var response = await PortalState.ResetAsync(instructor, $"/classes/{classId}/reset", token);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"/classes/{classId}/dashboard?reset=class&runs={Learners}", response.Headers.Location!.OriginalString);
            await portal.CrashAsync();
        }

        var state = await ReadAsync(runIds);
        output.WriteLine($"Killed after the reset was accepted: {state}");
        Assert.All(state.Runs, r => Assert.Equal(LabRunStatus.TearingDown, r.Status));

        // Moment 2: resources being deleted, no run finished yet.
        await CrashWhenAsync(runIds, "deleting", (_, now) => now.Deleted > 0 && now.TornDown == 0);

        // Moment 3: a run between two executions of its teardown (the lease released, a continuation
        // scheduled while AWS works), after this process has deleted something itself.
        await CrashWhenAsync(runIds, "waiting-for-continuation", (start, now) =>
            now.Deleted > start.Deleted && now.Runs.Any(r => r.Status == LabRunStatus.TearingDown && r.Leased == false && r.Deleted > 0 && r.Left > 0));

        // Moment 4: part of the class torn down, part not.
        await CrashWhenAsync(runIds, "partly-done", (_, now) => now.TornDown > 0 && now.TornDown < Learners);

        // The last restart: nobody presses anything; the reset ends by itself. No moment is watched any more, so the
        // sandbox is fast again (as for the set-up): the teardowns go the same way, without waiting out slow terminations.
        var restartedAt = DateTime.UtcNow;
        await using var restarted = new PortalFactory(_data.Path, Settings(timeScale: 50));
        var report = await PortalState.WaitForAsync(restarted, async db => await new ResetProgress(db).ForClassAsync(classId), r => r.RunsTotal == Learners && r.Finished, "the class reset after the last restart", seconds: 240);
        var recovery = DateTime.UtcNow - restartedAt;
        // On PostgreSQL the killed executions' leases, which the restart cannot release, come on top (CrashRestart).
        var bound = RecoveryBound + CrashRestart.LeaseWait(_data.Path);
        output.WriteLine($"Last restart to the class's verified zero: {recovery.TotalSeconds:0.0} s (bound {bound.TotalSeconds:0} s).");
        Assert.All(report.Runs, r => Assert.True(r.State == ResetState.Succeeded, r.Detail));
        Assert.Equal(0, report.ResourcesLeft);
        Assert.Equal(100, report.Percent);
        Assert.True(recovery <= bound, $"The reset ended {recovery.TotalSeconds:0.0} s after the last restart, beyond the documented {bound.TotalSeconds:0} s.");

        var accountsAfter = restarted.Services.GetRequiredService<ISandboxAccounts>();
        foreach (var accountId in accountIds)
        {
            var left = await accountsAfter.ListResourcesAsync(accountId);
            Assert.True(left.Count == 0, $"Left behind in {accountId}: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
        }

        foreach (var runId in runIds)
        {
            Assert.Equal(LabRunStatus.TornDown, await PortalState.ReadAsync(restarted, db => db.LabRuns.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync()));
            Assert.All(await PortalState.ReadAsync(restarted, db => db.Ledger.Where(e => e.LabRunId == runId).ToListAsync()), e => Assert.Equal(LedgerState.Deleted, e.State));
            // One teardown per run however many times it was interrupted: started once, succeeded once.
            var trail = await PortalState.ReadAsync(restarted, db => db.Audit.Where(a => a.LabRunId == runId && a.Action == AuditActions.Teardown).OrderBy(a => a.Id).Select(a => a.Outcome).ToListAsync());
            Assert.Equal([AuditLog.Started, AuditLog.Succeeded], trail);
        }

        Assert.Equal(1, await PortalState.ReadAsync(restarted, db => db.Audit.CountAsync(a => a.ClassroomId == classId && a.Action == AuditActions.ResetClass)));
    }

    /// <summary>Starts the portal on the data folder, waits until <paramref name="reached"/> holds (given the state at the start and now), and kills it.</summary>
    private async Task CrashWhenAsync(List<int> runIds, string moment, Func<ClassState, ClassState, bool> reached)
    {
        var atStart = await ReadAsync(runIds);
        using var portal = await PortalProcess.StartAsync(Settings(timeScale: 3));
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var now = await ReadAsync(runIds);
            Assert.False(now.TornDown == Learners, $"The reset ended before the kill at {moment}: too fast for this test.\n{portal.Output}");
            if (reached(atStart, now))
            {
                await portal.CrashAsync();
                output.WriteLine($"Killed at {moment}: {now}");
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The moment {moment} never came (last seen: {now}):\n{portal.Output}");
            await Task.Delay(20);
        }
    }

    private async Task<ClassState> ReadAsync(List<int> runIds)
    {
        await using var db = Lab1Flow.OpenDatabase(_data.Path);
        var runs = await db.LabRuns.AsNoTracking().Where(r => runIds.Contains(r.Id))
            .Select(r => new RunState(
                r.Id,
                r.Status,
                r.TeardownLeaseUntilUtc != null,
                db.Ledger.Count(e => e.LabRunId == r.Id && e.State == LedgerState.Deleted),
                db.Ledger.Count(e => e.LabRunId == r.Id && e.State != LedgerState.Deleted)))
            .ToListAsync();
        return new ClassState(runs);
    }

    private Dictionary<string, string?> Settings(int timeScale) => new Dictionary<string, string?>()
    {
        ["Portal:DataDirectory"] = _data.Path,
        ["Portal:JsonLogs"] = "false",
        ["Accounts:InitialInstructorUserName"] = PortalFactory.InstructorUserName,
        ["Accounts:InitialInstructorPassword"] = PortalFactory.InstructorPassword,
        ["Labs:Directory"] = Lab1Flow.ShippedLabs,
        ["Sandbox:Enabled"] = "true",
        ["Sandbox:ApiPort"] = "0",
        ["Sandbox:DataPlanePort"] = "0",
        // The reset runs slowly enough (instances take seconds to terminate) for every moment to be seen.
        ["Sandbox:TimeScale"] = timeScale.ToString(CultureInfo.InvariantCulture),
        ["Cleanup:MaxParallelTeardowns"] = "2",
        // A short inline wait, so that teardowns wait for AWS through continuations.
        ["Jobs:InlineWait"] = "00:00:02",
        ["Logging:LogLevel:Default"] = "Warning",
    }.WithJobSettings(_data.Path);

    private sealed record RunState(int Id, LabRunStatus Status, bool Leased, int Deleted, int Left);

    private sealed record ClassState(List<RunState> Runs)
    {
        public int Deleted => Runs.Sum(r => r.Deleted);

        public int TornDown => Runs.Count(r => r.Status == LabRunStatus.TornDown);

        public override string ToString() => string.Join("; ", Runs.Select(r => $"run {r.Id} {r.Status}{(r.Leased ? " leased" : "")} {r.Deleted} deleted {r.Left} left"));
    }
}
