using System.Collections.Concurrent;

namespace LabPortal.Features.LivePanel;

/// <summary>
/// One <see cref="RunPoller"/> per watched lab run, shared by every open tab of that run, created on
/// the first watcher and stopped when the last one leaves. It publishes typed snapshots; each live
/// panel component copies what it shows and re-renders through its own circuit.
/// </summary>
public sealed class LivePanelHub(IServiceScopeFactory scopes, PanelRateLimits limits, IConfiguration configuration, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, RunPoller> _pollers = new();
    private readonly Lock _gate = new();
    private readonly TimeSpan _interval = TimeSpan.FromMilliseconds(configuration.GetValue("LivePanel:IntervalMilliseconds", 2000));

    public TimeSpan Interval => _interval;

    public RunPoller? Find(int runId) => _pollers.GetValueOrDefault(runId);

    /// <summary>Pollers running now (one per watched run).</summary>
    public int PollerCount => _pollers.Count;

    /// <summary>
    /// Watches a run: <paramref name="onSnapshot"/> gets each snapshot until the result is disposed;
    /// the run's poller stops when its last watcher leaves. The caller must own the run (the page checks).
    /// </summary>
    public IAsyncDisposable Subscribe(int runId, Action<PanelSnapshot> onSnapshot)
    {
        RunPoller poller;
        lock (_gate)
        {
            poller = _pollers.GetOrAdd(runId, id => new RunPoller(id, scopes, limits, _interval, loggers.CreateLogger<RunPoller>()));
            poller.Watch(onSnapshot);
        }

        return new Subscription(this, runId, poller, onSnapshot);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var poller in _pollers.Values)
        {
            await poller.DisposeAsync();
        }
    }

    private async ValueTask LeaveAsync(int runId, RunPoller poller, Action<PanelSnapshot> onSnapshot)
    {
        bool last;
        lock (_gate)
        {
            last = poller.Unwatch(onSnapshot) == 0 && _pollers.TryRemove(new KeyValuePair<int, RunPoller>(runId, poller));
        }

        if (last)
        {
            await poller.DisposeAsync();
        }
    }

    private sealed class Subscription(LivePanelHub hub, int runId, RunPoller poller, Action<PanelSnapshot> onSnapshot) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _disposed, 1) == 0 ? hub.LeaveAsync(runId, poller, onSnapshot) : ValueTask.CompletedTask;
    }
}
