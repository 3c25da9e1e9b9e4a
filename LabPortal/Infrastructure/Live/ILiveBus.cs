namespace LabPortal.Infrastructure.Live;

/// <summary>
/// Carries live changes between portal nodes. One node: <see cref="InProcessLiveBus"/>, which carries
/// nothing (every subscriber is in this process). Several nodes on PostgreSQL: <see cref="PostgresLiveBus"/>
/// (LISTEN/NOTIFY). Messages are ids, never objects; a node never receives its own messages back.
/// </summary>
public interface ILiveBus
{
    /// <summary>True when other nodes may exist (the messages leave this process).</summary>
    bool SpansNodes { get; }

    /// <summary>Raised for each message another node sent, on the bus's own thread: handlers return quickly.</summary>
    event Action<LiveTopic, int>? Received;

    /// <summary>
    /// Raised after the bus was cut off and is back: messages sent meanwhile were lost, so every subscriber
    /// re-reads what it shows.
    /// </summary>
    event Action? Resynced;

    /// <summary>Sends a message to the other nodes (queued; never blocks the caller).</summary>
    void Send(LiveTopic topic, int id);

    /// <summary>Stores a run's latest live panel snapshot (serialized) for the other nodes and tells them.</summary>
    Task ShareAsync(int runId, string snapshot, CancellationToken cancellationToken = default);

    /// <summary>The latest snapshot another node shared for the run, or null.</summary>
    Task<string?> ReadSharedAsync(int runId, CancellationToken cancellationToken = default);
}
