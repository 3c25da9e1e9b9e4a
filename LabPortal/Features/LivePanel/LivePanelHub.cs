using System.Collections.Concurrent;
using LabPortal.Infrastructure.Live;

namespace LabPortal.Features.LivePanel;

/// <summary>
/// One <see cref="RunPoller"/> per watched lab run on this node, shared by every open tab of that run,
/// created on the first watcher and stopped when the last one leaves. Across nodes only the run's lease
/// holder polls; the others get its snapshots through the <see cref="ILiveBus"/>. Each live panel
/// component copies what it shows and re-renders through its own circuit.
/// </summary>
public sealed partial class LivePanelHub : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, RunPoller> _pollers = new();
    private readonly Lock _gate = new();
    private readonly IPanelSources _sources;
    private readonly IRunLeases _leases;
    private readonly ILiveBus _bus;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    public LivePanelHub(IPanelSources sources, IRunLeases leases, ILiveBus bus, IConfiguration configuration, ILoggerFactory loggers)
    {
        _sources = sources;
        _leases = leases;
        _bus = bus;
        _loggers = loggers;
        _logger = loggers.CreateLogger<LivePanelHub>();
        Interval = TimeSpan.FromMilliseconds(configuration.GetValue("LivePanel:IntervalMilliseconds", 2000));
        _bus.Received += OnReceived;
        _bus.Resynced += OnResynced;
        _leases.Taken += OnLeaseTaken;
    }

    public TimeSpan Interval { get; }

    /// <summary>Pollers running now (one per watched run).</summary>
    public int PollerCount => _pollers.Count;

    public RunPoller? Find(int runId) => _pollers.GetValueOrDefault(runId);

    /// <summary>
    /// Watches a run: <paramref name="onSnapshot"/> gets each snapshot until the result is disposed;
    /// the run's poller stops when its last watcher leaves. The caller must own the run (the page checks).
    /// </summary>
    public IAsyncDisposable Subscribe(int runId, Action<PanelSnapshot> onSnapshot)
    {
        RunPoller poller;
        lock (_gate)
        {
            poller = _pollers.GetOrAdd(runId, id => new RunPoller(id, _sources.ForRun(id), _leases, _bus, Interval, _loggers.CreateLogger<RunPoller>()));
            poller.Watch(onSnapshot);
        }

        return new Subscription(this, runId, poller, onSnapshot);
    }

    public async ValueTask DisposeAsync()
    {
        _bus.Received -= OnReceived;
        _bus.Resynced -= OnResynced;
        _leases.Taken -= OnLeaseTaken;
        foreach (var poller in _pollers.Values)
        {
            await poller.DisposeAsync();
        }
    }

    private void OnReceived(LiveTopic topic, int id)
    {
        if (topic == LiveTopic.PanelSnapshot && _pollers.TryGetValue(id, out var poller))
        {
            _ = TakeSharedAsync(poller, id);
        }
    }

    /// <summary>This node now polls the run: a first snapshot for its tabs (and the other nodes') now, not at the next tick.</summary>
    private void OnLeaseTaken(int runId)
    {
        if (_pollers.TryGetValue(runId, out var poller))
        {
            poller.PollNow();
        }
    }

    /// <summary>Snapshots shared while this node was cut off were missed: each follower reads the latest.</summary>
    private void OnResynced()
    {
        foreach (var (runId, poller) in _pollers)
        {
            _ = TakeSharedAsync(poller, runId);
        }
    }

    private async Task TakeSharedAsync(RunPoller poller, int runId)
    {
        try
        {
            await poller.TakeSharedAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSharedFailed(e, runId);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live panel: the shared snapshot of run {RunId} could not be read")]
    private partial void LogSharedFailed(Exception exception, int runId);

    private sealed class Subscription(LivePanelHub hub, int runId, RunPoller poller, Action<PanelSnapshot> onSnapshot) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _disposed, 1) == 0 ? hub.LeaveAsync(runId, poller, onSnapshot) : ValueTask.CompletedTask;
    }
}
