using Microsoft.Extensions.Options;
using Quartz;

namespace LabPortal.Features.Cleanup;

/// <summary>
/// Puts the recurring auto-cleanup job in the job store at start-up (replacing an older schedule,
/// so a changed <c>Cleanup:Interval</c> takes effect); its first run, one interval (at most 15 s)
/// after the start, also resumes any teardown a stop interrupted.
/// </summary>
public sealed class CleanupSchedule(ISchedulerFactory schedulers, IOptions<CleanupOptions> options) : IHostedService
{
    /// <summary>The first sweep (which also resumes interrupted teardowns) comes after at most this long.</summary>
    public static readonly TimeSpan FirstRunDelay = TimeSpan.FromSeconds(15);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<CleanUpIdleRunsJob>().WithIdentity(CleanUpIdleRunsJob.Key).StoreDurably().Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(CleanUpIdleRunsJob.Key.Name, CleanUpIdleRunsJob.Key.Group)
            .ForJob(job)
            // Not at the very start: the portal finishes starting (and a quick stop is not held up by a sweep) first.
            .StartAt(DateTimeOffset.UtcNow + (options.Value.Interval < FirstRunDelay ? options.Value.Interval : FirstRunDelay))
            .WithSimpleSchedule(s => s.WithInterval(options.Value.Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
