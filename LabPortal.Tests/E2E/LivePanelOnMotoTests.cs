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

        // The page works without JavaScript: it renders the current state.
        var (response, page) = await flow.Student.GetAsync($"{flow.RunUrl}/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = page.QuerySelectorAll("#panel-targets tr[data-target]").Select(r => r.GetAttribute("data-target")).Order().ToList();
        Assert.Equal(new[] { outputs["instance1Id"], outputs["instance2Id"] }.Order(), rows);

        // Five tabs on one run share one poller; its DescribeTargetHealth calls follow the ticks, not the tabs.
        var hub = _factory.Services.GetRequiredService<LivePanelHub>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var tabs = Enumerable.Range(0, 5).Select(_ => ReadEventsAsync(hub, runId, 3, cancel.Token)).ToList();
        var events = await Task.WhenAll(tabs);
        Assert.All(events, e => Assert.Contains(e, x => x.Contains(outputs["instance1Id"], StringComparison.Ordinal)));
        var poller = hub.Find(runId);
        Assert.True(poller is null || poller.HealthCalls <= 20, $"{poller?.HealthCalls} DescribeTargetHealth calls for 5 tabs over a few ticks.");

        // Over HTTP the owner's tab receives server-sent events with the rendered fragments.
        using var stream = await flow.Student.Http.GetAsync($"{flow.RunUrl}/live/stream", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(cancel.Token));
        var lines = new List<string>();
        while (lines.Count(l => l.StartsWith("event:", StringComparison.Ordinal)) < 2 && await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            lines.Add(line);
        }

        Assert.Contains("event: targets", lines);
        Assert.Contains(lines, l => l.StartsWith("data:", StringComparison.Ordinal) && l.Contains(outputs["instance2Id"], StringComparison.Ordinal));

        // Another student gets 404 for the page and the stream.
        var code = await Students.CreateClassAsync(_factory, "OTHER1");
        using var other = await Students.JoinAsync(_factory, code, "Other Student");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{flow.RunUrl}/live")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"{flow.RunUrl}/live/stream")).StatusCode);
    }

    private static async Task<List<string>> ReadEventsAsync(LivePanelHub hub, int runId, int count, CancellationToken cancellationToken)
    {
        var received = new List<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await foreach (var item in hub.StreamAsync(runId, "en", stop.Token))
        {
            received.Add(item.Data);
            if (received.Count >= count * 2)
            {
                break;
            }
        }

        return received;
    }
}
