using LabPortal.Features.LivePanel;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Support;

/// <summary>Watches a run's live panel the way an open panel component does (the shared poller's snapshots).</summary>
public static class PanelWatch
{
    /// <summary>The first snapshot for which <paramref name="done"/> holds; the poller stops when this watcher leaves.</summary>
    public static async Task<PanelSnapshot> UntilAsync(IServiceProvider services, int runId, Func<PanelSnapshot, bool> done, int seconds = 60)
    {
        var found = new TaskCompletionSource<PanelSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        PanelSnapshot? last = null;
        await using (services.GetRequiredService<LivePanelHub>().Subscribe(runId, snapshot =>
        {
            last = snapshot;
            if (done(snapshot))
            {
                found.TrySetResult(snapshot);
            }
        }))
        {
            try
            {
                return await found.Task.WaitAsync(TimeSpan.FromSeconds(seconds));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The panel of run {runId} never got there; last: {System.Text.Json.JsonSerializer.Serialize(last)}");
            }
        }
    }
}
