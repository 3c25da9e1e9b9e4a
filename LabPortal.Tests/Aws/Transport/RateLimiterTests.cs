using LabPortal.Aws.Core;

namespace LabPortal.Tests.Aws.Transport;

/// <summary>Client-side token buckets sized to AWS's published limits.</summary>
public sealed class RateLimiterTests
{
    [Theory]
    [InlineData("ec2", "DescribeInstances", 100, 20)]
    [InlineData("ec2", "CreateSecurityGroup", 50, 5)]
    [InlineData("ec2", "RunInstances", 5, 2)]
    [InlineData("elbv2", "DescribeTargetHealth", 40, 10)]
    [InlineData("elbv2", "RegisterTargets", 20, 4)]
    [InlineData("elbv2", "DeregisterTargets", 20, 4)]
    [InlineData("elbv2", "CreateTargetGroup", 20, 3)]
    [InlineData("elbv2", "CreateLoadBalancer", 10, 0.2)]
    [InlineData("elasticloadbalancing", "CreateLoadBalancer", 10, 0.2)]
    [InlineData("elasticloadbalancing", "DescribeTargetGroups", 40, 10)]
    public void BucketFor_matches_published_limits_when_given_action(string service, string action, double capacity, double refill)
    {
        var (_, limit) = AwsRateLimiter.BucketFor(service, action);

        Assert.Equal(new TokenBucketLimit(capacity, refill), limit);
    }

    [Fact]
    public async Task AcquireAsync_waits_for_refill_when_burst_is_spent()
    {
        var limiter = new AwsRateLimiter();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            await limiter.AcquireAsync("AKID1", "ap-northeast-2", "ec2", "RunInstances");
        }

        // RunInstances holds 5 tokens and refills 2 per second: a sixth call cannot be admitted
        // before half a second after the bucket was created, however fast or slow the machine is.
        await limiter.AcquireAsync("AKID1", "ap-northeast-2", "ec2", "RunInstances");

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(450), $"sixth call admitted after {clock.Elapsed}");
    }

    [Fact]
    public async Task AcquireAsync_keeps_accounts_apart_when_one_account_is_exhausted()
    {
        var limiter = new AwsRateLimiter();
        for (var i = 0; i < 5; i++)
        {
            await limiter.AcquireAsync("AKID1", "ap-northeast-2", "ec2", "RunInstances");
        }

        Assert.Equal(TimeSpan.Zero, await limiter.AcquireAsync("AKID2", "ap-northeast-2", "ec2", "RunInstances"));
        Assert.Equal(TimeSpan.Zero, await limiter.AcquireAsync("AKID1", "ap-northeast-2", "ec2", "DescribeInstances"));
    }

    [Fact]
    public async Task AcquireAsync_admits_no_more_than_the_bucket_when_a_whole_class_polls_one_account()
    {
        // 50 browser tabs of one shared account poll DescribeTargetHealth at once: ELB's Describe
        // bucket holds 40 and refills 10 a second, so by time t at most 40 + 10t calls are admitted.
        var limiter = new AwsRateLimiter();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var admitted = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            await limiter.AcquireAsync("AKIDCLASS", "ap-northeast-2", "elbv2", "DescribeTargetHealth");
            return clock.Elapsed;
        }));

        var ordered = admitted.Order().ToList();
        for (var k = 1; k <= ordered.Count; k++)
        {
            Assert.True(k <= 40 + (10 * ordered[k - 1].TotalSeconds) + 1, $"call {k} admitted at {ordered[k - 1]}");
        }

        Assert.True(ordered[^1] >= TimeSpan.FromMilliseconds(900), $"last call admitted after {ordered[^1]}");
    }
}
