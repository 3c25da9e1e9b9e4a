namespace LabPortal.Infrastructure.Live;

/// <summary>
/// Which node polls a watched run: the one holding the run's lease. One node: <see cref="InProcessRunLeases"/>
/// (this node holds every lease it wants). Several nodes: <see cref="PostgresRunLeases"/> (advisory locks).
/// </summary>
public interface IRunLeases
{
    /// <summary>This node watches the run: it takes the lease as soon as no other node holds it.</summary>
    void Want(int runId);

    /// <summary>This node no longer watches the run: its lease, if held, goes to another node that wants it.</summary>
    void Release(int runId);

    /// <summary>True while this node holds the run's lease (and so polls it).</summary>
    bool Holds(int runId);

    /// <summary>
    /// This node has just taken the lease of the run (given by id) after <see cref="Want"/>: its poller polls at once
    /// instead of at its next tick, so the tabs waiting for a first snapshot, or for the snapshots of a leader that
    /// stopped, do not wait a whole interval.
    /// </summary>
    event Action<int>? Taken;
}
