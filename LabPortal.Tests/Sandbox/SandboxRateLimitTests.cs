using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Sandbox;

public sealed class SandboxRateLimitTests
{
    [Fact]
    public async Task RunInstances_answers_RequestLimitExceeded_503_when_its_bucket_is_empty_and_rate_limits_are_on()
    {
        var options = TestSandbox.Options();
        options.EnforceRateLimits = true;
        var (server, _, client) = await TestSandbox.StartWithAccountAsync(new FakeMachineFactory(), options, services => services.AddSingleton<TimeProvider>(new FrozenClock()));
        await using var _ = server;
        var ami = await TestSandbox.LatestAmiAsync(client);

        // RunInstances: bucket 5, refill 2/s (aws-behaviour.md 5.1); the clock stands still, so nothing refills.
        var answers = new List<ApiCall>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"), ("DryRun", "true")));
        }

        var describe = await client.Ec2Async("DescribeVpcs");

        Assert.All(answers.Take(5), a => Assert.Equal("DryRunOperation", a.ErrorCode));
        Assert.Equal((HttpStatusCode)503, answers[5].Status);
        Assert.Equal("RequestLimitExceeded", answers[5].ErrorCode);
        describe.EnsureOk();
    }

    [Fact]
    public async Task Api_does_not_throttle_when_rate_limits_are_off()
    {
        var (server, _, client) = await TestSandbox.StartWithAccountAsync(new FakeMachineFactory(), configure: services => services.AddSingleton<TimeProvider>(new FrozenClock()));
        await using var _ = server;
        var ami = await TestSandbox.LatestAmiAsync(client);

        var answers = new List<ApiCall>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add(await client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"), ("DryRun", "true")));
        }

        Assert.All(answers, a => Assert.Equal("DryRunOperation", a.ErrorCode));
    }

    /// <summary>A clock that stands still (timers still run on real time), so token buckets never refill.</summary>
    private sealed class FrozenClock : TimeProvider
    {
        private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
