using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace LabPortal.Features.Cleanup;

/// <summary>
/// The recurring auto-cleanup (every <c>Cleanup:Interval</c>): resumes interrupted teardowns, warns
/// runs past their idle or lifetime deadline (the learner sees a countdown banner), tears down
/// warned runs whose countdown ended, and cleans finished runs whose resources were kept once
/// their grace period is over. Every action is audited.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class CleanUpIdleRunsJob(
    PortalDbContext db,
    CleanupService cleanup,
    CleanupClock clock,
    TeardownScheduler teardowns,
    AuditLog audit,
    ILogger<CleanUpIdleRunsJob> logger) : IJob
{
    public const string Reason = "auto-cleanup";

    public static readonly JobKey Key = new("clean-up-idle-runs", TeardownScheduler.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var resumed = await teardowns.ResumeInterruptedAsync(cancellationToken);
        if (resumed > 0)
        {
            LogResumed(resumed);
        }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} interrupted teardown(s)")]
    private partial void LogResumed(int count);
}
