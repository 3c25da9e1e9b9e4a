using System.Collections.Concurrent;
using System.Diagnostics;
using LabPortal.Features.LivePanel;
using LabPortal.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace LabPortal.Tests.Portal.Live;

/// <summary>
/// Two portal nodes in one process on one PostgreSQL database (each a host with the portal's live
/// registrations): run and step changes cross nodes once, a dropped listening connection comes back and
/// subscribers re-read, and one node polls a run watched on both.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed class LiveAcrossNodesTests(PostgresClusterFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresClusterFixture>
{
    [Fact]
    public async Task A_change_published_on_one_node_reaches_each_subscriber_on_every_node_once()
    {
        var cloud = new CountingCloud();
        await using var a = await LiveNode.StartAsync(postgres.ConnectionString, cloud.Node("a"));
        await using var b = await LiveNode.StartAsync(postgres.ConnectionString, cloud.Node("b"));
        var onA = new ConcurrentQueue<int>();
        var onB = new ConcurrentQueue<int>();
        var everyRunOnB = new ConcurrentQueue<int>();
        var classesOnB = new ConcurrentQueue<int>();
        var everyRunOnA = new ConcurrentQueue<int>();
        using var s1 = a.Changes.Subscribe(7, onA.Enqueue);
        using var s2 = b.Changes.Subscribe(7, onB.Enqueue);
        using var s3 = b.Changes.SubscribeToEveryRun(everyRunOnB.Enqueue);
        using var s4 = b.Changes.SubscribeToClassMembers(classesOnB.Enqueue);
        using var s5 = a.Changes.SubscribeToEveryRun(everyRunOnA.Enqueue);

        a.Changes.Publish(7);
        a.Changes.PublishClassMembers(3);
        // A marker after them: notifications from one sender arrive in the order sent, so once B has the
        // marker it has had everything before it; B then answers, and once A has B's answer, any echo of
        // A's own messages would have reached A before it.
        a.Changes.Publish(900);
        await WaitForAsync(() => everyRunOnB.Contains(900), "node B to hear run 900 from node A");
        b.Changes.Publish(901);
        await WaitForAsync(() => everyRunOnA.Contains(901), "node A to hear run 901 from node B");

        Assert.Equal([7], onA);
        Assert.Equal([7], onB);
        Assert.Equal([7, 900, 901], everyRunOnB);
        Assert.Equal([3], classesOnB);
        Assert.Equal([7, 900, 901], everyRunOnA);
        Assert.Equal((0, 0), (a.Bus.Resyncs, b.Bus.Resyncs));
    }

    [Fact]
    public async Task A_dropped_listening_connection_reconnects_and_tells_subscribers_to_re_read()
    {
        var cloud = new CountingCloud();
        await using var a = await LiveNode.StartAsync(postgres.ConnectionString, cloud.Node("a"));
        await using var b = await LiveNode.StartAsync(postgres.ConnectionString, cloud.Node("b"));
        var runOnB = new ConcurrentQueue<int>();
        var resyncsOnB = 0;
        using var s1 = b.Changes.Subscribe(11, runOnB.Enqueue);
        using var s2 = b.Changes.SubscribeToResync(() => Interlocked.Increment(ref resyncsOnB));
        var before = b.Bus.ListenerProcessId;
        Assert.NotEqual(0, before);

        await using (var admin = new NpgsqlConnection(postgres.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", admin);
            kill.Parameters.AddWithValue("pid", before);
            Assert.Equal(true, await kill.ExecuteScalarAsync());
        }

        await WaitForAsync(() => b.Bus.Resyncs == 1 && b.Bus.ListenerProcessId is not 0, "node B to listen again");
        Assert.NotEqual(before, b.Bus.ListenerProcessId);
        // Told to re-read: the run's subscriber with its run, the dashboard-like subscriber once.
        await WaitForAsync(() => runOnB.Count == 1 && Volatile.Read(ref resyncsOnB) == 1, "node B's subscribers to be told to re-read");
        Assert.Equal([11], runOnB);

        // And the new connection carries changes again.
        a.Changes.Publish(11);
        await WaitForAsync(() => runOnB.Count == 2, "node B to hear run 11 after the reconnect");
        Assert.Equal([11, 11], runOnB);
        Assert.Equal((0, 1), (a.Bus.Resyncs, b.Bus.Resyncs));
    }

    [Fact]
    public async Task A_run_watched_on_two_nodes_is_polled_by_one_and_the_other_takes_over_when_it_leaves_or_dies()
    {
        const int runId = 21;
        var cloud = new CountingCloud();
        await using var a = await LiveNode.StartAsync(postgres.ConnectionString, cloud.Node("a"));
        await using var b = await LiveNode.StartAsync(postgres.ConnectionString, cloud.Node("b"));
        var seenOnA = new ConcurrentQueue<PanelSnapshot>();
        var seenOnB = new ConcurrentQueue<PanelSnapshot>();

        // A watches first and so polls; then B watches the same run.
        var watchA = a.Hub.Subscribe(runId, seenOnA.Enqueue);
        await WaitForAsync(() => cloud.Polls("a") >= 2, "node A to poll the run");
        var watchB = b.Hub.Subscribe(runId, seenOnB.Enqueue);
        var pollsOfA = cloud.Polls("a");
        await WaitForAsync(() => cloud.Polls("a") >= pollsOfA + 8, "node A to poll 8 more times with the run watched on both nodes");
        await WaitForAsync(() => seenOnB.Any(s => s.LoadBalancerDns!.StartsWith("a-", StringComparison.Ordinal) && CountingCloud.Number(s) > pollsOfA + 5), "node B to show node A's later snapshots");

        // One poller across both nodes: B never polled, and it showed what A polled.
        Assert.Equal(0, cloud.Polls("b"));
        Assert.Equal((0, 0), (b.Hub.Find(runId)!.Polls, b.Hub.Find(runId)!.HealthCalls));
        Assert.All(seenOnB, s => Assert.StartsWith("a-", s.LoadBalancerDns, StringComparison.Ordinal));
        Assert.True(seenOnB.Count >= 3, $"node B showed {seenOnB.Count} snapshot(s)");
        output.WriteLine($"While both watched: node A polled {cloud.Polls("a")} times, node B 0; node B showed {seenOnB.Count} of A's snapshots.");

        // A's last tab leaves: B, still watching, takes the run over.
        var left = Stopwatch.StartNew();
        await watchA.DisposeAsync();
        var pollsAtLeave = cloud.Polls("a");
        await WaitForAsync(() => cloud.Polls("b") >= 1, "node B to take over after node A stopped watching");
        output.WriteLine($"Handover after node A stopped watching: {left.ElapsedMilliseconds} ms.");
        await WaitForAsync(() => seenOnB.Any(s => s.LoadBalancerDns!.StartsWith("b-", StringComparison.Ordinal)), "node B to show its own snapshot");
        Assert.Equal(pollsAtLeave, cloud.Polls("a"));

        // A watches again (a follower now), then B's node dies: A takes over.
        var watchAgain = a.Hub.Subscribe(runId, seenOnA.Enqueue);
        var pollsOfB = cloud.Polls("b");
        await WaitForAsync(() => cloud.Polls("b") >= pollsOfB + 4 && seenOnA.Any(s => s.LoadBalancerDns!.StartsWith("b-", StringComparison.Ordinal)), "node A to show node B's snapshots");
        Assert.Equal(pollsAtLeave, cloud.Polls("a"));
        var died = Stopwatch.StartNew();
        await b.DisposeAsync();
        var pollsOfDeadB = cloud.Polls("b");
        await WaitForAsync(() => cloud.Polls("a") > pollsAtLeave, "node A to take over after node B died");
        output.WriteLine($"Handover after node B died: {died.ElapsedMilliseconds} ms.");
        Assert.Equal(pollsOfDeadB, cloud.Polls("b"));
        await watchAgain.DisposeAsync();
        await watchB.DisposeAsync();
    }

    [Fact]
    public async Task Polls_of_a_run_per_minute_are_the_same_watched_on_both_nodes_as_on_one()
    {
        // The poll rate is one per interval on the leader; the follower adds none. Measured over the same
        // number of the leader's ticks with one and with two nodes watching, the cloud sees only the leader.
        const int runId = 31;
        var cloud = new CountingCloud();
        await using var a = await LiveNode.StartAsync(postgres.ConnectionString, cloud.Node("a"));
        await using var b = await LiveNode.StartAsync(postgres.ConnectionString, cloud.Node("b"));
        await using var watchA = a.Hub.Subscribe(runId, _ => { });
        await WaitForAsync(() => cloud.Polls("a") >= 1, "node A to poll");

        var alone = await MeasureAsync(cloud, ticks: 12);
        await using var watchB = b.Hub.Subscribe(runId, _ => { });
        await WaitForAsync(() => b.Hub.Find(runId)!.Latest is not null, "node B to show a snapshot");
        var both = await MeasureAsync(cloud, ticks: 12);

        output.WriteLine($"Polls (DescribeTargetHealth per target group) per minute: watched on one node {alone.PerMinute:0}, on both {both.PerMinute:0}; the follower made {both.FollowerPolls}.");
        Assert.Equal(0, alone.FollowerPolls);
        Assert.Equal(0, both.FollowerPolls);
        Assert.Equal(0, cloud.Polls("b"));
    }

    private static async Task<(double PerMinute, long FollowerPolls)> MeasureAsync(CountingCloud cloud, int ticks)
    {
        var start = cloud.Polls("a");
        var followerStart = cloud.Polls("b");
        var watch = Stopwatch.StartNew();
        await WaitForAsync(() => cloud.Polls("a") >= start + ticks, $"{ticks} polls");
        var polls = cloud.Polls("a") - start + cloud.Polls("b") - followerStart;
        return (polls / watch.Elapsed.TotalMinutes, cloud.Polls("b") - followerStart);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {seconds} s for {what}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The cloud both nodes would call, counting each node's polls (one DescribeTargetHealth each): a
    /// snapshot names its node and number in its load balancer address, so a follower's view shows whose poll it was.
    /// </summary>
    private sealed class CountingCloud
    {
        private readonly ConcurrentDictionary<string, long> _polls = new(StringComparer.Ordinal);

        public IPanelSources Node(string name) => new Sources(this, name);

        public long Polls(string node) => _polls.GetValueOrDefault(node);

        public static long Number(PanelSnapshot snapshot) => long.Parse(snapshot.LoadBalancerDns!.Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture);

        private sealed class Sources(CountingCloud cloud, string node) : IPanelSources
        {
            public IPanelSource ForRun(int runId) => new Source(cloud, node);
        }

        private sealed class Source(CountingCloud cloud, string node) : IPanelSource
        {
            private long _calls;

            public long HealthCalls => Interlocked.Read(ref _calls);

            public Task<PanelSnapshot> PollAsync(CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref _calls);
                var n = cloud._polls.AddOrUpdate(node, 1, (_, c) => c + 1);
                return Task.FromResult(new PanelSnapshot(DateTime.UtcNow, [new TargetRow("tg", "i-0abc", "us-east-1a", 80, "healthy", null, null)], [], new Dictionary<string, int>(), $"{node}-{n}", null));
            }
        }
    }
}
