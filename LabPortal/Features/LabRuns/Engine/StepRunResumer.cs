using Hangfire;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Jobs;
using LabPortal.Infrastructure.Scopes;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.LabRuns.Engine;

/// <summary>
/// At start-up, enqueues every unfinished step run that no job execution holds and no continuation
/// waits for: a step a crash interrupted (the job storage hides that job until its invisibility
/// timeout, far off: see <see cref="JobsModule"/>), or one whose enqueue a crash lost. A second
/// delivery of a job that also comes back finds the step finished or leased and does nothing.
/// </summary>
public sealed partial class StepRunResumer(Scoped<PortalDbContext> databases, IBackgroundJobClient jobs, TimeProvider time, ILogger<StepRunResumer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var lease = databases.Begin();
        var db = lease.Service;
        var now = time.GetUtcNow().UtcDateTime;
        var unfinished = await db.StepRuns
            .Where(s => (s.Status == StepRunStatus.Pending || s.Status == StepRunStatus.Running)
                && (s.LeaseUntilUtc == null || s.LeaseUntilUtc < now)
                && (s.WaitingUntilUtc == null || s.WaitingUntilUtc < now))
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in unfinished)
        {
            StepRunner.Enqueue(jobs, id);
            LogResumed(id);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Step run {StepRunId} was left unfinished by the last stop; enqueued again")]
    private partial void LogResumed(int stepRunId);
}
