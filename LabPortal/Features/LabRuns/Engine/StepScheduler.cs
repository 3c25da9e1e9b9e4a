using Hangfire;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Engine;

/// <summary>Records a pending step run and enqueues <see cref="StepRunner.RunAsync"/> for it (the job's argument is the id only).</summary>
public sealed class StepScheduler(PortalDbContext db, IBackgroundJobClient jobs, TimeProvider time)
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

        // A crash between the save and the enqueue leaves the step pending with no job: StepRunResumer enqueues it at the next start.
        StepRunner.Enqueue(jobs, stepRun.Id);
        return stepRun.Id;
    }
}
