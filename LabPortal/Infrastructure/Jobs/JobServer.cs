using Hangfire;
using Hangfire.AspNetCore;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabPortal.Infrastructure.Jobs;

/// <summary>
/// This portal's Hangfire server: its workers run the jobs of this host's storage with services
/// from this host's container. Before it starts, on a single-process storage, the leases that job
/// executions of a previous, killed process held are released (nothing else can hold them), so the
/// interrupted work resumes at once instead of after a lease's expiry.
/// </summary>
public sealed partial class JobServer(
    JobStorage storage,
    JobStorageInfo storageInfo,
    IServiceScopeFactory scopes,
    IOptions<JobsOptions> options,
    IHostEnvironment environment,
    ILogger<JobServer> logger) : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    /// <summary>The running server (null before start and after stop).</summary>
    public BackgroundJobServer? Server => _server;

    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (storageInfo.SingleProcess)
        {
            await ReleaseLeasesAsync(cancellationToken);
        }

        _server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            ServerName = Name,
            WorkerCount = options.Value.MaxConcurrency,
            // Continuations and retries are delayed jobs: looked for every poll interval, not every 15 s.
            SchedulePollingInterval = options.Value.QueuePollInterval,
            Activator = new CurrentJobActivator(new AspNetCoreJobActivator(scopes)),
            ShutdownTimeout = TimeSpan.FromSeconds(15),
        }, storage);
        LogStarted(Name, options.Value.MaxConcurrency, storageInfo.Kind, environment.EnvironmentName);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            try
            {
                // Running jobs see their cancellation token fire, give their leases back and are re-queued by Hangfire.
                server.SendStop();
                await server.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The host's shutdown timeout ended the wait: the jobs still running were told to stop and,
                // if they did not finish, Hangfire hands them out again (their leases are released at the next start).
                LogShutdownCut(Name);
            }
            catch (ObjectDisposedException)
            {
                // Already disposed (a second stop, or the container disposed first, seen once in CI when a
                // test host was torn down): a disposed server has stopped, so there is nothing left to stop.
            }
        }
    }

    public void Dispose()
    {
        _server?.Dispose();
        _server = null;
    }

    private async Task ReleaseLeasesAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var steps = await db.StepRuns.Where(s => s.LeaseUntilUtc != null).ExecuteUpdateAsync(set => set.SetProperty(s => s.LeaseUntilUtc, (DateTime?)null), cancellationToken);
        var runs = await db.LabRuns.Where(r => r.TeardownLeaseUntilUtc != null).ExecuteUpdateAsync(set => set.SetProperty(r => r.TeardownLeaseUntilUtc, (DateTime?)null), cancellationToken);
        if (steps + runs > 0)
        {
            LogReleased(steps, runs);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job server {Name} started: {Workers} workers, {Storage} storage ({Environment})")]
    private partial void LogStarted(string name, int workers, JobStorageKind storage, string environment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job server {Name} stopped before its running jobs finished (the host's shutdown timeout); they run again after the next start")]
    private partial void LogShutdownCut(string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released the leases of {Steps} step run(s) and {Runs} teardown(s) left by a process that stopped without finishing them")]
    private partial void LogReleased(int steps, int runs);
}
