using LabPortal.Features.LivePanel;
using LabPortal.Tests.E2E.Cleanup;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Labs;

/// <summary>A run's live panel opened in a second tab shows the latest snapshot at once, the first tab its first snapshot without waiting a tick.</summary>
public class LivePanelJoinTests
{
    private readonly TestDatabaseProvider _database;

    public LivePanelJoinTests()
        : this(TestDatabase.Default)
    {
    }

    /// <summary>On <paramref name="database"/>, whatever the run's default (<see cref="LivePanelJoinOnPostgreSqlTests"/>).</summary>
    protected LivePanelJoinTests(TestDatabaseProvider database)
    {
        _database = database;
    }

    [Fact]
    public async Task A_tab_joining_a_watched_run_gets_the_latest_panel_at_once_not_at_the_next_tick()
    {
        using var data = new TempDirectory();
        TestDatabase.Use(data.Path, _database);
        // One tick a minute: the second tab must not wait for it.
        await using var factory = new PortalFactory(data.Path, new Dictionary<string, string?> { ["LivePanel:IntervalMilliseconds"] = "60000" });
        var code = await Students.CreateClassAsync(factory, "JOIN01");
        using var student = await Students.JoinAsync(factory, code, "Joining Student");
        var driver = await LabDriver.StartAsync(factory, student, PortalFactory.FixtureLabs, "fixture-lab");
        var hub = factory.Services.GetRequiredService<LivePanelHub>();

        var firstPanel = new TaskCompletionSource<PanelSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var firstTab = hub.Subscribe(driver.RunId, s => firstPanel.TrySetResult(s));
        var shown = await firstPanel.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The second tab gets the same snapshot at once, well before the next tick a minute later.
        var secondPanel = new TaskCompletionSource<PanelSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var secondTab = hub.Subscribe(driver.RunId, s => secondPanel.TrySetResult(s));
        Assert.Same(shown, await secondPanel.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(2, hub.Find(driver.RunId)!.WatcherCount);
    }
}
