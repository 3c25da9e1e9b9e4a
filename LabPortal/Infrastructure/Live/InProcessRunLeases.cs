using System.Collections.Concurrent;

namespace LabPortal.Infrastructure.Live;

/// <summary>One node: no other node can poll, so this one holds the lease of every run it watches.</summary>
public sealed class InProcessRunLeases : IRunLeases
{
    private readonly ConcurrentDictionary<int, byte> _wanted = new();

    public void Want(int runId) => _wanted[runId] = 0;

    public void Release(int runId) => _wanted.TryRemove(runId, out _);

    public bool Holds(int runId) => _wanted.ContainsKey(runId);

    /// <summary>Never raised: the lease is held from <see cref="Want"/> on, before the poller's first round.</summary>
    public event Action<int>? Taken
    {
        add { }
        remove { }
    }
}
