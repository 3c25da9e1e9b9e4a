using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.Core;

/// <summary>
/// Tracks the sandbox's fire-and-forget work (instance boots, stops, health checks) so shutdown
/// can cancel it and wait for it, and so its failures are logged rather than lost.
/// </summary>
public sealed class SandboxBackgroundWork : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger<SandboxBackgroundWork> _logger;
    private long _next;

    public SandboxBackgroundWork(ILogger<SandboxBackgroundWork> logger) => _logger = logger;

    /// <summary>Cancelled when the sandbox stops.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Starts <paramref name="work"/> on the thread pool; <paramref name="name"/> appears in logs.</summary>
    public void Run(string name, Func<CancellationToken, Task> work)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        var id = Interlocked.Increment(ref _next);
        var task = Task.Run(async () =>
        {
            try
            {
                await work(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Shutdown.
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogError(ex, "Sandbox background work {Name} failed", name);
            }
            finally
            {
                _running.TryRemove(id, out _);
            }
        });
        _running[id] = task;
    }

    /// <summary>Cancels all work and waits (bounded) for it to finish.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        await _stopping.CancelAsync();
        var all = Task.WhenAll(_running.Values.ToList());
        await Task.WhenAny(all, Task.Delay(timeout));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _stopping.Dispose();
    }
}
