using LabPortal.Aws.Core;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Live;
using LabPortal.Tests.Aws.Support;
using LabPortal.Tests.Support;
using Microsoft.Extensions.Logging;

namespace LabPortal.Tests.Portal.Live;

/// <summary>
/// The shared call budget's database does not answer: a call is not failed, it takes from the node's own
/// in-process bucket (docs/decisions/live-changes-across-nodes.md), and the node says so once per fallback period.
/// </summary>
public sealed class CallBudgetFallbackTests
{
    [Fact]
    public async Task Budget_takes_from_the_nodes_own_bucket_with_one_warning_when_its_database_cannot_be_reached()
    {
        // Nothing listens on the port: every connection is refused.
        await using var database = new NodeDatabase($"Host=127.0.0.1;Port={FreePort.Next()};Username=nobody;Database=none;Timeout=5");
        var clock = new StandingClock();
        var own = new AwsRateLimiter(clock);
        using var logs = new CapturingLoggerProvider();
        var budget = new PostgresCallBudget(database, own, clock, new Logger<PostgresCallBudget>(logs));
        var (_, limit) = AwsRateLimiter.BucketFor("elasticloadbalancing", "DescribeTargetHealth");

        for (var i = 0; i < limit.Capacity; i++)
        {
            await budget.AcquireAsync("AKIDFALLBACK", "us-east-1", "elasticloadbalancing", "DescribeTargetHealth");
        }

        // The calls were the own bucket's: it is empty now (the clock stands, so it never refills), and a call that
        // would have to wait for a token gives up at once on a cancelled token.
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            own.AcquireAsync("AKIDFALLBACK", "us-east-1", "elasticloadbalancing", "DescribeTargetHealth", cancelled.Token).AsTask());
        var warnings = logs.Entries.Where(e => e.StartsWith("The shared AWS call budget could not be reached", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
    }

    /// <summary>A clock whose time and timestamps never move (timers still run on real time).</summary>
    private sealed class StandingClock : TimeProvider
    {
        private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public override long GetTimestamp() => 0;
    }
}
