using System.Collections.Concurrent;

namespace LabPortal.Infrastructure.Live;

/// <summary>
/// In-process publisher of "this lab run changed" (a step run was queued, started, finished; the run
/// was started, kept, or its teardown started or ended: every audit entry about a run publishes). Open components subscribe to their run and reload it from the database
/// when told; nothing polls. One node: a multi-node deployment fans these out through PostgreSQL
/// LISTEN/NOTIFY (ARCHITECTURE.md), behind this same interface.
/// </summary>
public sealed class RunChanges
{
    private readonly ConcurrentDictionary<int, ImmutableSubscribers> _subscribers = new();
    private ImmutableSubscribers _everyRun = new([]);

    /// <summary>Tells every subscriber of <paramref name="runId"/>; a subscriber that throws does not stop the others.</summary>
    public void Publish(int runId)
    {
        var callbacks = _subscribers.TryGetValue(runId, out var subscribers) ? subscribers.Callbacks : [];
        foreach (var callback in callbacks.Concat(Volatile.Read(ref _everyRun).Callbacks))
        {
            try
            {
                callback(runId);
            }
            catch (Exception)
            {
                // A component's handler failing (a circuit going away) is the component's business.
            }
        }
    }

    /// <summary>Calls <paramref name="callback"/> on each change of the run until the result is disposed.</summary>
    public IDisposable Subscribe(int runId, Action<int> callback)
    {
        _subscribers.AddOrUpdate(runId, _ => new ImmutableSubscribers([callback]), (_, s) => new ImmutableSubscribers([.. s.Callbacks, callback]));
        return new Subscription(this, runId, callback);
    }

    /// <summary>
    /// Calls <paramref name="callback"/> on each change of any run until the result is disposed: the
    /// instructor dashboard, which watches every run of a class and learns of new runs this way.
    /// </summary>
    public IDisposable SubscribeToEveryRun(Action<int> callback)
    {
        ImmutableSubscribers current, updated;
        do
        {
            current = Volatile.Read(ref _everyRun);
            updated = new ImmutableSubscribers([.. current.Callbacks, callback]);
        }
        while (Interlocked.CompareExchange(ref _everyRun, updated, current) != current);

        return new EveryRunSubscription(this, callback);
    }

    /// <summary>Subscribers of every run (for tests and the benchmark).</summary>
    public int EveryRunSubscriberCount => Volatile.Read(ref _everyRun).Callbacks.Length;

    /// <summary>Subscribers of one run (for tests and the benchmark).</summary>
    public int SubscriberCount(int runId) => _subscribers.TryGetValue(runId, out var s) ? s.Callbacks.Length : 0;

    private void Unsubscribe(int runId, Action<int> callback)
    {
        while (_subscribers.TryGetValue(runId, out var current))
        {
            var remaining = current.Callbacks.Where(c => c != callback).ToArray();
            var updated = remaining.Length == 0
                ? _subscribers.TryRemove(new KeyValuePair<int, ImmutableSubscribers>(runId, current))
                : _subscribers.TryUpdate(runId, new ImmutableSubscribers(remaining), current);
            if (updated)
            {
                return;
            }
        }
    }

    private void UnsubscribeFromEveryRun(Action<int> callback)
    {
        ImmutableSubscribers current, updated;
        do
        {
            current = Volatile.Read(ref _everyRun);
            updated = new ImmutableSubscribers([.. current.Callbacks.Where(c => c != callback)]);
        }
        while (Interlocked.CompareExchange(ref _everyRun, updated, current) != current);
    }

    private sealed record ImmutableSubscribers(Action<int>[] Callbacks);

    private sealed class EveryRunSubscription(RunChanges owner, Action<int> callback) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.UnsubscribeFromEveryRun(callback);
            }
        }
    }

    private sealed class Subscription(RunChanges owner, int runId, Action<int> callback) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(runId, callback);
            }
        }
    }
}
