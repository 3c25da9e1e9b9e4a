namespace LabPortal.Infrastructure.Live;

/// <summary>One node: every subscriber is in this process, so nothing leaves it and nothing arrives.</summary>
public sealed class InProcessLiveBus : ILiveBus
{
    public static readonly InProcessLiveBus Instance = new();

    public bool SpansNodes => false;

    // Nothing ever arrives from elsewhere: the events are never raised.
    public event Action<LiveTopic, int>? Received
    {
        add { }
        remove { }
    }

    public event Action? Resynced
    {
        add { }
        remove { }
    }

    public void Send(LiveTopic topic, int id)
    {
        // Every subscriber is in this process and was told directly.
    }

    public Task ShareAsync(int runId, string snapshot, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<string?> ReadSharedAsync(int runId, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);
}
