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
/// A step waiting for AWS whose continuation is neither scheduled nor enqueued (the process died after
/// the step saved its wait and before it scheduled the continuation) gets one, due when its wait ends.
/// </summary>
public sealed partial class StepRunResumer(Scoped<PortalDbContext> databases, IBackgroundJobClient jobs, JobStorage storage, TimeProvider time, ILogger<StepRunResumer> logger) : IHostedService
{
    private const int MonitoringPage = 500;

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

        var waiting = await db.StepRuns
            .Where(s => (s.Status == StepRunStatus.Pending || s.Status == StepRunStatus.Running)
                && (s.LeaseUntilUtc == null || s.LeaseUntilUtc < now)
                && s.WaitingUntilUtc != null && s.WaitingUntilUtc >= now)
            .Select(s => new { s.Id, s.WaitingUntilUtc })
            .ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            return;
        }

        var continued = StepRunsWithJobs(storage);
        foreach (var step in waiting.Where(s => !continued.Contains(s.Id)))
        {
            var after = DateTime.SpecifyKind(step.WaitingUntilUtc!.Value, DateTimeKind.Utc) - now;
            jobs.Schedule<StepRunner>(runner => runner.RunAsync(step.Id, CancellationToken.None), after);
            LogContinuationRestored(step.Id);
        }
    }

    /// <summary>The step runs a scheduled or enqueued job will run (read through Hangfire's monitoring API).</summary>
    public static HashSet<int> StepRunsWithJobs(JobStorage storage)
    {
        var monitoring = storage.GetMonitoringApi();
        var steps = new HashSet<int>();
        void Add(Hangfire.Common.Job? job)
        {
            if (job?.Type == typeof(StepRunner) && job.Method.Name == nameof(StepRunner.RunAsync) && job.Args.Count > 0 && job.Args[0] is int id)
            {
                steps.Add(id);
            }
        }

        for (var from = 0; ; from += MonitoringPage)
        {
            var page = monitoring.ScheduledJobs(from, MonitoringPage);
            page.ForEach(j => Add(j.Value.Job));
            if (page.Count < MonitoringPage)
            {
                break;
            }
        }

        foreach (var queue in monitoring.Queues())
        {
            for (var from = 0; ; from += MonitoringPage)
            {
                var page = monitoring.EnqueuedJobs(queue.Name, from, MonitoringPage);
                page.ForEach(j => Add(j.Value.Job));
                if (page.Count < MonitoringPage)
                {
                    break;
                }
            }
        }

        return steps;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Step run {StepRunId} was left unfinished by the last stop; enqueued again")]
    private partial void LogResumed(int stepRunId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step run {StepRunId} waits for AWS but its continuation was lost with the last stop; scheduled again for the end of its wait")]
    private partial void LogContinuationRestored(int stepRunId);
}
