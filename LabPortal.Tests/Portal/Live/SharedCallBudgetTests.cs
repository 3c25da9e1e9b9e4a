using LabPortal.Aws.Core;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Live;
using LabPortal.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LabPortal.Tests.Portal.Live;

/// <summary>
/// The per-account AWS call budget across nodes: two nodes (each its own connection pool) drawing on
/// ELB's Describe bucket of one account (40, refill 10/s: aws-behaviour.md §5.2) never exceed it together.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed class SharedCallBudgetTests(PostgresClusterFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresClusterFixture>
{
    private const string Account = "AKIDSHAREDBUDGET";

    [Fact]
    public async Task Two_nodes_together_never_take_more_than_the_accounts_bucket_allows()
    {
        var (capacity, refill) = Limit();
        await using var databaseA = new NodeDatabase(postgres.ConnectionString);
        await using var databaseB = new NodeDatabase(postgres.ConnectionString);
        var nodeA = Budget(databaseA);
        var nodeB = Budget(databaseB);

        // Each node asks for the whole bucket and half again, from several callers at once (as pollers and
        // steps do): 1.5 x 2 x 40 calls, 8 callers per node, each on the thread pool as the HTTP handler runs.
        var perNode = (int)(capacity * 1.5);
        const int callersPerNode = 8;
        var calls = Enumerable.Range(0, callersPerNode).SelectMany(caller => new[]
        {
            Caller(nodeA, "a", (perNode / callersPerNode) + (caller < perNode % callersPerNode ? 1 : 0)),
            Caller(nodeB, "b", (perNode / callersPerNode) + (caller < perNode % callersPerNode ? 1 : 0)),
        }).ToList();
        var grants = (await Task.WhenAll(calls)).SelectMany(c => c).OrderBy(g => g.At).ToList();

        Assert.Equal(2 * perNode, grants.Count);
        Assert.Equal(perNode, grants.Count(g => g.Node == "a"));
        Assert.Equal(perNode, grants.Count(g => g.Node == "b"));
        var worst = WorstExcess(grants.Select(g => g.At).ToList(), capacity, refill);
        var span = (grants[^1].At - grants[0].At).TotalSeconds;
        output.WriteLine($"{grants.Count} calls from two nodes took {span:0.00} s on the database's clock (a bucket of {capacity} refilled {refill}/s allows them in {(grants.Count - capacity) / refill:0.00} s at best); worst excess over the bucket: {worst:0.000} calls.");
        Assert.True(worst <= 0.001, $"The two nodes together took {worst:0.000} call(s) more than the bucket allows.");
    }

    [Fact]
    public async Task The_check_catches_two_nodes_that_each_keep_their_own_bucket()
    {
        // What the shared budget replaces: each node's own in-process bucket lets both spend a full bucket at once.
        var (capacity, refill) = Limit();
        var nodeA = new AwsRateLimiter();
        var nodeB = new AwsRateLimiter();
        var start = DateTime.UtcNow;
        var stamps = new List<DateTime>();
        foreach (var limiter in new[] { nodeA, nodeB })
        {
            for (var i = 0; i < capacity; i++)
            {
                await limiter.AcquireAsync(Account, "us-east-1", "elasticloadbalancing", "DescribeTargetHealth");
                stamps.Add(DateTime.UtcNow);
            }
        }

        var worst = WorstExcess(stamps, capacity, refill);
        output.WriteLine($"Two in-process buckets gave {stamps.Count} calls in {(stamps[^1] - start).TotalSeconds:0.000} s: worst excess {worst:0.0} calls.");
        Assert.True(worst > 1, $"Two separate buckets should overspend the account's one; excess {worst:0.000}.");
    }

    private static PostgresCallBudget Budget(NodeDatabase database) =>
        new(database, new AwsRateLimiter(), TimeProvider.System, NullLogger<PostgresCallBudget>.Instance);

    private static (double Capacity, double Refill) Limit()
    {
        var (_, limit) = AwsRateLimiter.BucketFor("elasticloadbalancing", "DescribeTargetHealth");
        return (limit.Capacity, limit.RefillPerSecond);
    }

    /// <summary>One caller: <paramref name="count"/> calls one after another, on the thread pool (the test framework's own context runs two continuations at a time).</summary>
    private static Task<List<(string Node, DateTime At)>> Caller(PostgresCallBudget budget, string node, int count) => Task.Run(async () =>
    {
        var taken = new List<(string Node, DateTime At)>();
        for (var i = 0; i < count; i++)
        {
            taken.Add((node, await budget.TakeAsync(Account, "us-east-1", "elasticloadbalancing", "DescribeTargetHealth")));
        }

        return taken;
    });

    /// <summary>
    /// The most calls by which any prefix of the sorted grants exceeds a token bucket that starts full:
    /// the k-th call at time t may come only if k &lt;= capacity + refill x (t - first call's time).
    /// </summary>
    private static double WorstExcess(List<DateTime> sortedTimes, double capacity, double refill)
    {
        var worst = double.NegativeInfinity;
        for (var k = 0; k < sortedTimes.Count; k++)
        {
            var allowed = capacity + (refill * (sortedTimes[k] - sortedTimes[0]).TotalSeconds);
            worst = Math.Max(worst, k + 1 - allowed);
        }

        return worst;
    }
}
