using LabPortal.Infrastructure.Scopes;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>
/// At start-up, enqueues the teardown of every run a stop or a crash left TearingDown
/// (<see cref="TeardownScheduler.ResumeInterruptedAsync"/>), so a reset finishes without anyone
/// asking again and without waiting for the job storage to give up on a killed process's job.
/// </summary>
public sealed partial class TeardownResumer(Scoped<TeardownScheduler> schedulers, ILogger<TeardownResumer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scheduler = schedulers.Begin();
        var resumed = await scheduler.Service.ResumeInterruptedAsync(cancellationToken);
        if (resumed > 0)
        {
            LogResumed(resumed);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} interrupted teardown(s)")]
    private partial void LogResumed(int count);
}
