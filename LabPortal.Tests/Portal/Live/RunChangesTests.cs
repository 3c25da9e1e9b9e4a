using LabPortal.Infrastructure.Live;

namespace LabPortal.Tests.Portal.Live;

public sealed class RunChangesTests
{
    [Fact]
    public void Every_run_subscribers_hear_every_run_and_run_subscribers_only_theirs_until_disposed()
    {
        var changes = new RunChanges();
        var everyRun = new List<int>();
        var runSeven = new List<int>();
        var all = changes.SubscribeToEveryRun(everyRun.Add);
        var seven = changes.Subscribe(7, runSeven.Add);

        changes.Publish(7);
        changes.Publish(8);
        all.Dispose();
        changes.Publish(9);
        changes.Publish(7);
        seven.Dispose();
        changes.Publish(7);

        Assert.Equal([7, 8], everyRun);
        Assert.Equal([7, 7], runSeven);
        Assert.Equal((0, 0), (changes.EveryRunSubscriberCount, changes.SubscriberCount(7)));
    }

    [Fact]
    public void A_subscriber_that_throws_does_not_stop_the_others()
    {
        var changes = new RunChanges();
        var heard = new List<int>();
        using var failing = changes.SubscribeToEveryRun(_ => throw new InvalidOperationException("a circuit went away"));
        using var listening = changes.SubscribeToEveryRun(heard.Add);
        using var forRun = changes.Subscribe(3, _ => throw new InvalidOperationException("gone too"));

        changes.Publish(3);

        Assert.Equal([3], heard);
    }
}
