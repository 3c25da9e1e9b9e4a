using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace LabPortal.Features.LivePanel;

/// <summary>
/// One <see cref="RunPoller"/> per watched lab run, shared by every open tab of that run, created on
/// the first watcher and stopped when the last one leaves.
/// </summary>
public sealed class LivePanelHub(IServiceScopeFactory scopes, PanelRateLimits limits, PanelRenderer renderer, IConfiguration configuration, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, RunPoller> _pollers = new();
    private readonly TimeSpan _interval = TimeSpan.FromMilliseconds(configuration.GetValue("LivePanel:IntervalMilliseconds", 2000));

    public RunPoller? Find(int runId) => _pollers.GetValueOrDefault(runId);

    public RunPoller PollerFor(int runId) =>
        _pollers.GetOrAdd(runId, id => new RunPoller(id, scopes, limits, renderer, _interval, loggers.CreateLogger<RunPoller>()));

    /// <summary>The server-sent events one tab receives: the targets and requests fragments in its language, each tick.</summary>
    public async IAsyncEnumerable<SseItem<string>> StreamAsync(int runId, string language, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var poller = PollerFor(runId);
        var reader = poller.Watch();
        try
        {
            await foreach (var panel in reader.ReadAllAsync(cancellationToken))
            {
                var (targets, requests) = panel.ByLanguage.TryGetValue(language, out var fragments) ? fragments : panel.ByLanguage["en"];
                yield return new SseItem<string>(targets, "targets");
                yield return new SseItem<string>(requests, "requests");
            }
        }
        finally
        {
            if (poller.Unwatch(reader) == 0 && _pollers.TryRemove(new KeyValuePair<int, RunPoller>(runId, poller)))
            {
                await poller.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var poller in _pollers.Values)
        {
            await poller.DisposeAsync();
        }
    }
}
