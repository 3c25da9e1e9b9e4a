using LabPortal.Infrastructure.Data;
using Quartz;

namespace LabPortal.Features.LabRuns.Engine;

/// <summary>Records a pending step run and hands it to Quartz; the job store keeps it across restarts.</summary>
public sealed class StepScheduler(PortalDbContext db, ISchedulerFactory schedulers, TimeProvider time)
{
    public async Task<int> ScheduleAsync(LabRun run, string stepId, string inputJson, CancellationToken cancellationToken = default)
    {
        var stepRun = new StepRun
        {
            LabRunId = run.Id,
            StepId = stepId,
            Status = StepRunStatus.Pending,
            InputJson = inputJson,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.StepRuns.Add(stepRun);
        await db.SaveChangesAsync(cancellationToken);

        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.ScheduleJob(Job(stepRun.Id), Trigger(stepRun.Id), cancellationToken: cancellationToken);
        return stepRun.Id;
    }

    /// <summary>
    /// Hands an unfinished step run back to Quartz when the job store holds no job for it (the run was
    /// interrupted by a shutdown, see <see cref="RunStepJob"/>). A job still in the store, e.g. one
    /// that a crash left behind, is Quartz's to recover and is left alone. True when scheduled.
    /// </summary>
    public async Task<bool> ResumeAsync(int stepRunId, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        if (await scheduler.GetJobDetail(RunStepJob.KeyFor(stepRunId), cancellationToken) is not null)
        {
            return false;
        }

        await scheduler.ScheduleJob(Job(stepRunId), Trigger(stepRunId), cancellationToken: cancellationToken);
        return true;
    }

    private static IJobDetail Job(int stepRunId) =>
        JobBuilder.Create<RunStepJob>()
            .WithIdentity(RunStepJob.KeyFor(stepRunId))
            .UsingJobData(RunStepJob.StepRunIdKey, stepRunId)
            .RequestRecovery()
            .Build();

    private static ITrigger Trigger(int stepRunId) =>
        TriggerBuilder.Create().WithIdentity($"step-run-{stepRunId}", "lab-runs").StartNow().Build();
}
