using LabPortal.Features.LivePanel;
using LabPortal.Tests.E2E.Cleanup;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Labs;

public sealed class LivePanelJoinTests
{
    [Fact]
    public async Task A_tab_joining_a_watched_run_gets_the_latest_panel_at_once_not_at_the_next_tick()
    {
        using var data = new TempDirectory();
        // One tick a minute: the second tab must not wait for it.
        await using var factory = new PortalFactory(data.Path, new Dictionary<string, string?> { ["LivePanel:IntervalMilliseconds"] = "60000" });
        var code = await Students.CreateClassAsync(factory, "JOIN01");
        using var student = await Students.JoinAsync(factory, code, "Joining Student");
        var driver = await LabDriver.StartAsync(factory, student, PortalFactory.FixtureLabs, "fixture-lab");
        var hub = factory.Services.GetRequiredService<LivePanelHub>();

        using var first = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var firstTab = hub.StreamAsync(driver.RunId, "en", first.Token).GetAsyncEnumerator(first.Token);
        Assert.True(await firstTab.MoveNextAsync(), "The first tab got no panel (the poller polls at once when it starts).");
        var firstPanel = firstTab.Current.Data;

        using var second = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var secondTab = hub.StreamAsync(driver.RunId, "en", second.Token).GetAsyncEnumerator(second.Token);
        Assert.True(await secondTab.MoveNextAsync(), "The second tab got nothing before the next tick.");
        Assert.Equal("targets", secondTab.Current.EventType);
        Assert.Equal(firstPanel, secondTab.Current.Data);
        Assert.Equal(2, hub.Find(driver.RunId)!.WatcherCount);
    }
}
