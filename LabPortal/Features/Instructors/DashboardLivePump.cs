using LabPortal.Infrastructure.Live;

namespace LabPortal.Features.Instructors;

/// <summary>
/// Keeps an open dashboard in step with its class. A run's change redraws that learner's row, cells and runs at
/// once; the rest of the page (audit, reset progress, budget) follows with one whole reload at most every
/// <see cref="WholeReloadDelay"/>; a class member joining reloads the whole class; a clock tick moves the times on.
/// One reload runs at a time: changes that arrive meanwhile are taken by the next turn of the loop.
/// Every callback runs on the page's renderer (<paramref name="invokeAsync"/>), so the pump's fields need no lock.
/// </summary>
public sealed class DashboardLivePump(DashboardData data, TimeProvider time, Func<Func<Task>, Task> invokeAsync, Action render) : IAsyncDisposable
{
    /// <summary>How long after a run's change the rest of the page follows it, at most (its own learner's cells follow at once).</summary>
    public static readonly TimeSpan WholeReloadDelay = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(10);

    private readonly HashSet<int> _changedRuns = [];
    private ConnectedSubscription? _subscription;
    private ITimer? _clock;
    private ITimer? _wholeLater;
    private bool _refreshing;
    private bool _reloadWhole;

    /// <summary>Starts following every run's change and the class's members (while the circuit is connected), and the clock.</summary>
    public void Start(RunChanges changes, CircuitConnection connection, int classId)
    {
        ArgumentNullException.ThrowIfNull(changes);
        _subscription = new ConnectedSubscription(connection, () => new Unsubscribe(
            changes.SubscribeToEveryRun(runId => _ = invokeAsync(() => OnRunChangedAsync(runId))),
            changes.SubscribeToClassMembers(changed => _ = changed == classId ? invokeAsync(RefreshAsync) : Task.CompletedTask),
            // Several nodes: after the link to the others was cut, changes may have been missed; the page reads everything again.
            changes.SubscribeToResync(() => _ = invokeAsync(RefreshAsync))));
        _clock = time.CreateTimer(_ => _ = invokeAsync(TickAsync), null, TickInterval, TickInterval);
    }

    /// <summary>Reloads the whole class (after a reset the instructor started, a member joining, the delayed follow-up of run changes).</summary>
    public Task RefreshAsync()
    {
        _reloadWhole = true;
        return PumpAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_clock is not null)
        {
            await _clock.DisposeAsync();
        }

        if (_wholeLater is not null)
        {
            await _wholeLater.DisposeAsync();
        }

        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }

    private async Task OnRunChangedAsync(int runId)
    {
        if (!await data.ConcernsAsync(runId))
        {
            return;
        }

        _changedRuns.Add(runId);
        _wholeLater ??= time.CreateTimer(_ => _ = invokeAsync(WholeReloadDueAsync), null, WholeReloadDelay, Timeout.InfiniteTimeSpan);
        await PumpAsync();
    }

    private async Task WholeReloadDueAsync()
    {
        if (_wholeLater is not null)
        {
            await _wholeLater.DisposeAsync();
            _wholeLater = null;
        }

        await RefreshAsync();
    }

    private async Task PumpAsync()
    {
        if (_refreshing)
        {
            return;
        }

        _refreshing = true;
        try
        {
            while (_reloadWhole || _changedRuns.Count > 0)
            {
                int[] runs = [.. _changedRuns];
                _changedRuns.Clear();
                if (_reloadWhole)
                {
                    // The whole class brings these runs too.
                    _reloadWhole = false;
                    await data.LoadAsync();
                }
                else
                {
                    await data.UpdateRunsAsync(runs);
                }

                render();
            }
        }
        finally
        {
            _refreshing = false;
        }
    }

    private Task TickAsync()
    {
        data.Tick();
        render();
        return Task.CompletedTask;
    }

    /// <summary><see cref="RunChanges"/> subscriptions as the connected subscription holds them.</summary>
    private sealed class Unsubscribe(params IDisposable[] subscriptions) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }

            return ValueTask.CompletedTask;
        }
    }
}
