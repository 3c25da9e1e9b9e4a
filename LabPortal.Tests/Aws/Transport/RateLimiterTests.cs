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
    public void BucketFor_matches_published_limits_when_given_action(string service, string action, double capacity, double refill)
    {
        var (_, limit) = AwsRateLimiter.BucketFor(service, action);

        Assert.Equal(new TokenBucketLimit(capacity, refill), limit);
    }

    [Fact]
    public async Task AcquireAsync_waits_for_refill_when_burst_is_spent()
    {
        var limiter = new AwsRateLimiter();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TimeSpan.Zero, await limiter.AcquireAsync("AKID1", "ap-northeast-2", "ec2", "RunInstances"));
        }

        // RunInstances refills 2 tokens per second: the sixth call waits about half a second.
        var waited = await limiter.AcquireAsync("AKID1", "ap-northeast-2", "ec2", "RunInstances");

        Assert.InRange(waited.TotalMilliseconds, 300, 2000);
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
}
