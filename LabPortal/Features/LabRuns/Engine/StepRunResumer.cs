using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.LabRuns.Engine;

/// <summary>
/// At start-up, gives every step run a shutdown interrupted (left pending, with no job in the store)
/// back to the scheduler, so it finishes without the learner pressing anything. Steps a crash
/// interrupted still have their job in the store, and Quartz recovers those itself
/// (<c>RequestRecovery</c>). One node only: with several, the node that owns the run should do this.
/// </summary>
public sealed partial class StepRunResumer(IServiceScopeFactory scopes, ILogger<StepRunResumer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var scheduler = scope.ServiceProvider.GetRequiredService<StepScheduler>();
        var unfinished = await db.StepRuns
            .Where(s => s.Status == StepRunStatus.Pending || s.Status == StepRunStatus.Running)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in unfinished)
        {
            if (await scheduler.ResumeAsync(id, cancellationToken))
            {
                LogResumed(id);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Step run {StepRunId} was interrupted by a shutdown; scheduled again")]
    private partial void LogResumed(int stepRunId);
}
