using LabPortal.Features.LivePanel;
using LabPortal.Infrastructure.Live;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.LivePanel;

/// <summary>
/// A live panel's poller runs only while somebody can see it: when a tab is closed its circuit lingers
/// (Blazor keeps it for a reconnect), and the panel's subscription must not keep the run polled meanwhile.
/// </summary>
public sealed class ConnectedSubscriptionTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task The_run_is_polled_while_the_browser_is_connected_not_while_its_tab_is_gone_and_again_after_a_reconnect()
    {
        await using var factory = new PortalFactory(_data.Path);
        var hub = factory.Services.GetRequiredService<LivePanelHub>();
        var connection = new CircuitConnection();
        const int runId = 424242;

        var subscription = new ConnectedSubscription(connection, () => hub.Subscribe(runId, _ => { }));
        Assert.True(subscription.IsActive);
        Assert.NotNull(hub.Find(runId));

        // The tab closes: the circuit stays for a possible reconnect, the run's poller stops.
        await connection.OnConnectionDownAsync(null!, CancellationToken.None);
        Assert.False(subscription.IsActive);
        await WaitForAsync(() => hub.Find(runId) is null, "the poller to stop after the connection went down");

        // The browser comes back on the same circuit: the panel watches again.
        await connection.OnConnectionUpAsync(null!, CancellationToken.None);
        Assert.True(subscription.IsActive);
        Assert.NotNull(hub.Find(runId));

        // The page is disposed: nothing is left, and a later connection change does not resubscribe.
        await subscription.DisposeAsync();
        await WaitForAsync(() => hub.Find(runId) is null, "the poller to stop after the page was disposed");
        await connection.OnConnectionDownAsync(null!, CancellationToken.None);
        await connection.OnConnectionUpAsync(null!, CancellationToken.None);
        Assert.False(subscription.IsActive);
        Assert.Null(hub.Find(runId));
    }

    [Fact]
    public async Task A_page_opened_while_the_connection_is_down_subscribes_only_when_it_comes_up()
    {
        var connection = new CircuitConnection();
        await connection.OnConnectionDownAsync(null!, CancellationToken.None);
        var subscribed = 0;

        await using var subscription = new ConnectedSubscription(connection, () =>
        {
            subscribed++;
            return new Nothing();
        });
        Assert.Equal(0, subscribed);

        await connection.OnConnectionUpAsync(null!, CancellationToken.None);
        await connection.OnConnectionUpAsync(null!, CancellationToken.None);
        Assert.Equal(1, subscribed);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited 10 s for {what}.");
            await Task.Delay(20);
        }
    }

    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
