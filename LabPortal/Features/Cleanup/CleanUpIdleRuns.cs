using Hangfire;
using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Infrastructure.Activity;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.Cleanup;

/// <summary>
/// The recurring auto-cleanup (every <c>Cleanup:Interval</c>, Hangfire recurring job <see cref="Id"/>,
/// registered at start-up by <see cref="CleanupSchedule"/>): warns runs past their idle or lifetime
/// deadline (the learner sees a countdown banner), asks for the teardown of warned runs whose
/// countdown ended, and of finished runs whose resources were kept once their grace period is over.
/// Every action is audited; the teardowns themselves are <see cref="RunTeardown"/> jobs.
/// </summary>
public sealed class CleanUpIdleRuns(
    PortalDbContext db,
    CleanupService cleanup,
    CleanupClock clock,
    TeardownScheduler teardowns,
    AuditLog audit)
{
    public const TeardownReason Reason = TeardownReason.AutoCleanup;

    /// <summary>The recurring job's constant id: registering it again at every start replaces it.</summary>
    public const string Id = "clean-up-idle-runs";

    // One sweep at a time (a slow one must not overlap the next); a failed sweep is simply the next one's work.
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    [AutomaticRetry(Attempts = 0, LogEvents = false)]
    [JobDisplayName("Auto-cleanup sweep")]
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.Now;
        var limits = new Dictionary<int, ClassLimits>();
        foreach (var run in await db.LabRuns.Where(r => r.Status == LabRunStatus.Active).ToListAsync(cancellationToken))
        {
            if (!limits.TryGetValue(run.UserId, out var limit))
            {
                limit = limits[run.UserId] = await cleanup.LimitsForAsync(run.UserId, cancellationToken);
            }

            var timer = clock.TimerFor(run, limit);
            if (!timer.Warned && timer.DueAtUtc <= now)
            {
                run.CleanupWarnedAtUtc = now;
                var why = timer.Cause == CleanupCause.Idle
                    ? $"No activity since {run.LastActivityAtUtc:u} (idle limit {limit.IdleLimitMinutes} min)."
                    : $"Started {run.StartedAtUtc:u} (lifetime limit {limit.MaxLifetimeMinutes} min{(run.ExtendedAtUtc is null ? "" : ", extended once")}).";
                await audit.WriteAsync(new AuditRecord(AuditActions.CleanupWarned, AuditLog.Succeeded, $"{why} Teardown at {clock.TimerFor(run, limit).TeardownAtUtc:u} unless the learner keeps working.")
                {
                    ClassroomId = limit.ClassroomId,
                    SubjectUserId = run.UserId,
                    LabRunId = run.Id,
                }, cancellationToken);
            }
            else if (timer.TeardownAtUtc is { } at && at <= now)
            {
                await teardowns.RequestAsync(run, Reason, limit.ClassroomId, null, cancellationToken);
            }
        }

        var grace = clock.Options.Scaled(clock.Options.FinishedGracePeriod);
        foreach (var run in await db.LabRuns.Where(r => r.Status == LabRunStatus.Kept).ToListAsync(cancellationToken))
        {
            if ((run.FinishedAtUtc ?? run.LastActivityAtUtc) + grace <= now)
            {
                var limit = await cleanup.LimitsForAsync(run.UserId, cancellationToken);
                await teardowns.RequestAsync(run, Reason, limit.ClassroomId, null, cancellationToken);
            }
        }
    }
}
