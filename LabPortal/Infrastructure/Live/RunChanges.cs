using System.Collections.Concurrent;

namespace LabPortal.Infrastructure.Live;

/// <summary>
/// In-process publisher of "this lab run changed" (a step run was queued, started, finished; the run
/// was started, kept, or its teardown started or ended: every audit entry about a run publishes). Open components subscribe to their run and reload it from the database
/// when told; nothing polls. Several nodes: the <see cref="ILiveBus"/> carries each change to the
/// other nodes (PostgreSQL LISTEN/NOTIFY), whose subscribers hear it once, as local ones do.
/// </summary>
public sealed class RunChanges
{
    private readonly ConcurrentDictionary<int, ImmutableSubscribers> _subscribers = new();
    private readonly ILiveBus _bus;
    private ImmutableSubscribers _everyRun = new([]);
    private ImmutableSubscribers _classMembers = new([]);
    private ImmutableActions _resync = new([]);

    /// <summary>One node: every subscriber is in this process.</summary>
    public RunChanges()
        : this(InProcessLiveBus.Instance)
    {
    }

    /// <summary>Changes published here go out on <paramref name="bus"/> too, and the other nodes' arrive through it.</summary>
    public RunChanges(ILiveBus bus)
    {
        _bus = bus;
        _bus.Received += OnReceived;
        _bus.Resynced += Resync;
    }

    /// <summary>Tells every subscriber of <paramref name="runId"/> on every node; a subscriber that throws does not stop the others.</summary>
    public void Publish(int runId)
    {
        Deliver(runId);
        _bus.Send(LiveTopic.Run, runId);
    }

    /// <summary>
    /// Calls <paramref name="callback"/> when changes may have been missed (the link to the other nodes was
    /// cut and is back): the subscriber re-reads everything it shows. Run subscribers are told through their
    /// own callback; this is for subscribers of every run, which cannot know which runs they missed.
    /// </summary>
    public IDisposable SubscribeToResync(Action callback)
    {
        SwapActions(c => [.. c, callback]);
        return new EveryRunSubscription(() => SwapActions(c => [.. c.Where(other => other != callback)]));
    }

    private void Deliver(int runId)
    {
        var callbacks = _subscribers.TryGetValue(runId, out var subscribers) ? subscribers.Callbacks : [];
        Call(callbacks.Concat(Volatile.Read(ref _everyRun).Callbacks), runId);
    }

    private void OnReceived(LiveTopic topic, int id)
    {
        if (topic == LiveTopic.Run)
        {
            Deliver(id);
        }
        else if (topic == LiveTopic.ClassMembers)
        {
            Call(Volatile.Read(ref _classMembers).Callbacks, id);
        }
    }

    /// <summary>Every run subscriber re-reads its run, and every resync subscriber everything.</summary>
    private void Resync()
    {
        foreach (var (runId, subscribers) in _subscribers)
        {
            Call(subscribers.Callbacks, runId);
        }

        foreach (var callback in Volatile.Read(ref _resync).Callbacks)
        {
            try
            {
                callback();
            }
            catch (Exception)
            {
                // As for change callbacks: the component's business.
            }
        }
    }

    private void SwapActions(Func<Action[], Action[]> change)
    {
        ImmutableActions current;
        do
        {
            current = Volatile.Read(ref _resync);
        }
        while (Interlocked.CompareExchange(ref _resync, new ImmutableActions(change(current.Callbacks)), current) != current);
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
        Swap(ref _everyRun, c => [.. c, callback]);
        return new EveryRunSubscription(() => Swap(ref _everyRun, c => [.. c.Where(other => other != callback)]));
    }

    /// <summary>Tells the class's watchers that its members changed (a student joined): no run exists yet to publish.</summary>
    public void PublishClassMembers(int classId)
    {
        Call(Volatile.Read(ref _classMembers).Callbacks, classId);
        _bus.Send(LiveTopic.ClassMembers, classId);
    }

    /// <summary>Calls <paramref name="callback"/> with a class's id whenever its members change, until the result is disposed.</summary>
    public IDisposable SubscribeToClassMembers(Action<int> callback)
    {
        Swap(ref _classMembers, c => [.. c, callback]);
        return new EveryRunSubscription(() => Swap(ref _classMembers, c => [.. c.Where(other => other != callback)]));
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

    private static void Swap(ref ImmutableSubscribers field, Func<Action<int>[], Action<int>[]> change)
    {
        ImmutableSubscribers current;
        do
        {
            current = Volatile.Read(ref field);
        }
        while (Interlocked.CompareExchange(ref field, new ImmutableSubscribers(change(current.Callbacks)), current) != current);
    }

    private static void Call(IEnumerable<Action<int>> callbacks, int id)
    {
        foreach (var callback in callbacks)
        {
            try
            {
                callback(id);
            }
            catch (Exception)
            {
                // A component's handler failing (a circuit going away) is the component's business.
            }
        }
    }

    private sealed record ImmutableSubscribers(Action<int>[] Callbacks);

    private sealed record ImmutableActions(Action[] Callbacks);

    private sealed class EveryRunSubscription(Action unsubscribe) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                unsubscribe();
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
