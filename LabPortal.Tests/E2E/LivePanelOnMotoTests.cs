using System.Net;
using LabPortal.Features.LivePanel;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E;

/// <summary>The live panel over an API-only cloud (moto): target health from DescribeTargetHealth, no traffic.</summary>
[Trait("Category", "Moto")]
public sealed class LivePanelOnMotoTests : IAsyncLifetime
{
    private MotoPortal _portal = null!;

    private PortalFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _portal = await MotoPortal.StartAsync(new Dictionary<string, string?> { ["LivePanel:IntervalMilliseconds"] = "200" });
        _factory = _portal.Factory;
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Panel_shows_both_targets_shares_one_poller_and_hides_the_run_from_others()
    {
        var flow = await Lab1Flow.StartAsync(_factory, "Panel Student");
        await flow.PassQuizAsync("concepts");
        foreach (var step in new[] { "security-group", "instances" })
        {
            Lab1Flow.AssertSucceeded(await flow.RunActionAsync(step));
        }

        Lab1Flow.AssertNoneFailed(await flow.CheckAsync("open-instances"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("target-group"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("load-balancer"));
        var runId = int.Parse(flow.RunUrl.Split('/')[2], System.Globalization.CultureInfo.InvariantCulture);
        var outputs = await flow.OutputsAsync();

        // Five tabs on one run share one poller; its DescribeTargetHealth calls follow the ticks, not the tabs.
        var hub = _factory.Services.GetRequiredService<LivePanelHub>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var tabs = Enumerable.Range(0, 5).Select(_ => ReadEventsAsync(hub, runId, 3, cancel.Token)).ToList();
        var events = await Task.WhenAll(tabs);
        Assert.All(events, e => Assert.Contains(e, x => x.Contains(outputs["instance1Id"], StringComparison.Ordinal)));
        var poller = hub.Find(runId);
        Assert.True(poller is null || poller.HealthCalls <= 20, $"{poller?.HealthCalls} DescribeTargetHealth calls for 5 tabs over a few ticks.");

        // The snapshot names both targets (the component draws it; bUnit tests the drawing).
        var latest = (await ReadEventsAsync(hub, runId, 1, cancel.Token))[0];
        Assert.Contains(outputs["instance2Id"], latest, StringComparison.Ordinal);

        // Another student gets 404 for the page.
        var code = await Students.CreateClassAsync(_factory, "OTHER1");
        using var other = await Students.JoinAsync(_factory, code, "Other Student");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{flow.RunUrl}/live")).Response.StatusCode);
    }

    /// <summary>Watches the run like one open panel until <paramref name="count"/> snapshots arrived; each as JSON.</summary>
    private static async Task<List<string>> ReadEventsAsync(LivePanelHub hub, int runId, int count, CancellationToken cancellationToken)
    {
        var received = new List<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (hub.Subscribe(runId, snapshot =>
        {
            lock (received)
            {
                received.Add(System.Text.Json.JsonSerializer.Serialize(snapshot));
                if (received.Count >= count)
                {
                    enough.TrySetResult();
                }
            }
        }))
        {
            await enough.Task.WaitAsync(cancellationToken);
        }

        lock (received)
        {
            return [.. received];
        }
    }
}
