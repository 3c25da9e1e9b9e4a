using System.Globalization;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace LabPortal.Features.Cleanup;

/// <summary>
/// Asks for a run's teardown: marks it TearingDown with its reason, audits the request and hands a
/// durable job to Quartz (one job per run, so asking twice never tears down twice at once). The
/// database, not the job store, is the record of what must still be torn down:
/// <see cref="ResumeInterruptedAsync"/> schedules again every run left TearingDown by a stop or a
/// crash, whether or not Quartz recovered its job.
/// </summary>
public sealed class TeardownScheduler(PortalDbContext db, AuditLog audit, ISchedulerFactory schedulers)
{
    public const string Group = "cleanup";
    public const string RunIdKey = "runId";

    public static JobKey KeyFor(int runId) => new($"teardown-run-{runId.ToString(CultureInfo.InvariantCulture)}", Group);

    public async Task RequestAsync(LabRun run, string reason, int? classroomId, int? actorUserId, CancellationToken cancellationToken = default)
    {
        run.Status = LabRunStatus.TearingDown;
        run.TeardownReason = reason;
        run.CleanupWarnedAtUtc = null;
        var resources = await db.Ledger.CountAsync(e => e.LabRunId == run.Id && e.State != LedgerState.Deleted, cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.Teardown, AuditLog.Started, $"Reason: {reason}. {resources} resource(s) in the ledger; lab {run.LabId}.")
        {
            ActorUserId = actorUserId,
            ClassroomId = classroomId,
            SubjectUserId = run.UserId,
            LabRunId = run.Id,
        }, cancellationToken);
        await ScheduleAsync(run.Id, cancellationToken);
    }

    /// <summary>Schedules the run's teardown job unless it is already scheduled or running.</summary>
    public async Task ScheduleAsync(int runId, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = KeyFor(runId);
        if (await scheduler.Exists(key, cancellationToken))
        {
            return;
        }

        var job = JobBuilder.Create<TearDownLabRunJob>()
            .WithIdentity(key)
            .UsingJobData(RunIdKey, runId)
            .RequestRecovery()
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, TriggerFor(key, DateTimeOffset.UtcNow), cancellationToken: cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Scheduled by a concurrent request between the check and the insert: one job is enough.
        }
    }

    /// <summary>A fresh trigger for the run's job (unique name, so a job can hold one while waiting for a slot).</summary>
    public static ITrigger TriggerFor(JobKey job, DateTimeOffset at) =>
        TriggerBuilder.Create()
            .WithIdentity($"{job.Name}-{Guid.NewGuid():N}", Group)
            .ForJob(job)
            .StartAt(at)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();

    /// <summary>
    /// Runs whose teardown was asked for but never finished (the portal stopped or crashed during
    /// it): their last teardown audit entry still says <c>started</c>. A teardown that failed stays
    /// failed (shown to the instructor, who can reset again) instead of being retried forever.
    /// </summary>
    public async Task<int> ResumeInterruptedAsync(CancellationToken cancellationToken = default)
    {
        var tearingDown = await db.LabRuns.Where(r => r.Status == LabRunStatus.TearingDown).Select(r => r.Id).ToListAsync(cancellationToken);
        var resumed = 0;
        foreach (var runId in tearingDown)
        {
            var last = await db.Audit.Where(a => a.LabRunId == runId && a.Action == AuditActions.Teardown).OrderByDescending(a => a.Id).Select(a => a.Outcome).FirstOrDefaultAsync(cancellationToken);
            if (last is null or AuditLog.Started)
            {
                var scheduler = await schedulers.GetScheduler(cancellationToken);
                if (!await scheduler.Exists(KeyFor(runId), cancellationToken))
                {
                    await ScheduleAsync(runId, cancellationToken);
                    resumed++;
                }
            }
        }

        return resumed;
    }
}
