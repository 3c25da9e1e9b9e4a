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

        var job = JobBuilder.Create<RunStepJob>()
            .WithIdentity(RunStepJob.KeyFor(stepRun.Id))
            .UsingJobData(RunStepJob.StepRunIdKey, stepRun.Id)
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity($"step-run-{stepRun.Id}", "lab-runs").StartNow().Build();
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
        return stepRun.Id;
    }
}
