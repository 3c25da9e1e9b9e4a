using System.Text.Json;
using LabPortal.Infrastructure.Live;

namespace LabPortal.Features.LivePanel;

/// <summary>
/// Polls one lab run's cloud for every open tab of that run, on whichever node holds the run's lease
/// (<see cref="IRunLeases"/>: one poller per run across all nodes). The leader hands each snapshot to its
/// own watchers and shares it with the other nodes (<see cref="ILiveBus.ShareAsync"/>); a node without the
/// lease shows the leader's snapshots and keeps trying for the lease, so it takes over when the leader
/// stops watching or dies. It stops when the last watcher of this node leaves.
/// </summary>
public sealed partial class RunPoller : IAsyncDisposable
{
    private readonly int _runId;
    private readonly IPanelSource _source;
    private readonly IRunLeases _leases;
    private readonly ILiveBus _bus;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Action<PanelSnapshot>> _watchers = [];
    private Task? _loop;
    private TaskCompletionSource _pollNow = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _polls;
    private int _disposed;

    public RunPoller(int runId, IPanelSource source, IRunLeases leases, ILiveBus bus, TimeSpan interval, ILogger logger)
    {
        _runId = runId;
        _source = source;
        _leases = leases;
        _bus = bus;
        _interval = interval;
        _logger = logger;
    }

    /// <summary>Polls this node made of the run (the leader's count grows; a follower's does not).</summary>
    public long Polls => Interlocked.Read(ref _polls);

    /// <summary>DescribeTargetHealth calls this node made for the run (for the benchmark and tests: must not grow with watchers, nor with nodes).</summary>
    public long HealthCalls => _source.HealthCalls;

    public int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    public PanelSnapshot? Latest { get; private set; }

    /// <summary>
    /// Adds a tab: <paramref name="onSnapshot"/> gets every new snapshot (the latest one at once, when
    /// there is one), on the poller's thread; the component copies it and re-renders through its circuit.
    /// </summary>
    public void Watch(Action<PanelSnapshot> onSnapshot)
    {
        PanelSnapshot? latest;
        lock (_gate)
        {
            _watchers.Add(onSnapshot);
            latest = Latest;
            if (_loop is null)
            {
                _leases.Want(_runId);
                _loop = Task.Run(() => LoopAsync(_stop.Token));
            }
        }

        if (latest is not null)
        {
            onSnapshot(latest);
        }
    }

    /// <summary>Removes a tab; returns the number still watching.</summary>
    public int Unwatch(Action<PanelSnapshot> onSnapshot)
    {
        lock (_gate)
        {
            _watchers.Remove(onSnapshot);
            return _watchers.Count;
        }
    }

    /// <summary>Starts the next round at once instead of at the next tick (this node has just taken the run's lease).</summary>
    public void PollNow() => Volatile.Read(ref _pollNow).TrySetResult();

    /// <summary>
    /// Another node shared a snapshot of this run (or the link to the other nodes came back): shows it,
    /// unless this node polls the run itself or already shows a newer one.
    /// </summary>
    public async Task TakeSharedAsync(CancellationToken cancellationToken = default)
    {
        if (_leases.Holds(_runId))
        {
            return;
        }

        var body = await _bus.ReadSharedAsync(_runId, cancellationToken);
        if (body is not null && JsonSerializer.Deserialize<PanelSnapshot>(body) is { } snapshot)
        {
            Deliver(snapshot, onlyIfNewer: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The hub disposes its pollers when it goes, and a watcher's leaving may dispose one again.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Stopping is what was asked.
            }

            _leases.Release(_runId);
        }

        _stop.Dispose();
    }

    private void Deliver(PanelSnapshot snapshot, bool onlyIfNewer = false)
    {
        Action<PanelSnapshot>[] watchers;
        lock (_gate)
        {
            // Two reads of the shared row can finish out of order: an older snapshot never replaces a newer one.
            if (onlyIfNewer && Latest is { } latest && snapshot.TakenAtUtc <= latest.TakenAtUtc)
            {
                return;
            }

            Latest = snapshot;
            watchers = [.. _watchers];
        }

        foreach (var watcher in watchers)
        {
            watcher(snapshot);
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_interval);
        Task<bool>? tick = null;
        while (true)
        {
            // A PollNow from here on starts another round; one that came before is answered by this round.
            Interlocked.Exchange(ref _pollNow, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            try
            {
                if (_leases.Holds(_runId))
                {
                    // One poll per tick across all nodes, whatever the number of tabs; each gets the same immutable snapshot.
                    var snapshot = await _source.PollAsync(cancellationToken);
                    Interlocked.Increment(ref _polls);
                    Deliver(snapshot);
                    if (_bus.SpansNodes)
                    {
                        await _bus.ShareAsync(_runId, JsonSerializer.Serialize(snapshot), cancellationToken);
                    }
                }
                else if (Latest is null)
                {
                    // A new watcher on a follower sees the leader's latest snapshot without waiting for the next.
                    await TakeSharedAsync(cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPollFailed(e, _runId);
            }

            // The tick still pending after an early round is the next one's: the timer allows one waiter at a time.
            tick ??= timer.WaitForNextTickAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(tick, Volatile.Read(ref _pollNow).Task) == tick)
            {
                if (!await tick)
                {
                    return;
                }

                tick = null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live panel poll for run {RunId} failed")]
    private partial void LogPollFailed(Exception exception, int runId);
}
