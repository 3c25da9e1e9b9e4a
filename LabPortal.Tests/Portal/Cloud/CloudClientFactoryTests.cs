using System.Net.Http.Headers;
using Amazon.EC2;
using LabPortal.Aws.Core;
using LabPortal.Infrastructure.Cloud;

namespace LabPortal.Tests.Portal.Cloud;

public sealed class CloudClientFactoryTests
{
    private static readonly Uri Sandbox = new("http://127.0.0.1:4566/");

    [Fact]
    public void For_returns_the_same_clients_when_the_same_credential_asks_again()
    {
        using var factory = NewFactory(new ManualClock());

        var first = factory.For(new AwsCredential("ap-northeast-2", Sandbox, "AKIDONE", "secret-one"));
        var again = factory.For(new AwsCredential("ap-northeast-2", Sandbox, "AKIDONE", "secret-one"));

        Assert.Same(first, again);
        Assert.Equal(1, factory.CachedCount);
    }

    [Fact]
    public void For_returns_other_clients_when_key_secret_or_region_differ()
    {
        using var factory = NewFactory(new ManualClock());
        var one = factory.For(new AwsCredential("ap-northeast-2", Sandbox, "AKIDONE", "secret-one"));

        var otherKey = factory.For(new AwsCredential("ap-northeast-2", Sandbox, "AKIDTWO", "secret-one"));
        var otherSecret = factory.For(new AwsCredential("ap-northeast-2", Sandbox, "AKIDONE", "secret-two"));
        var otherRegion = factory.For(new AwsCredential("us-east-1", Sandbox, "AKIDONE", "secret-one"));

        Assert.Equal(4, new[] { one, otherKey, otherSecret, otherRegion }.Distinct().Count());
        Assert.Equal(4, factory.CachedCount);
    }

    [Fact]
    public async Task For_evicts_and_disposes_clients_when_they_stay_idle_past_the_lifetime()
    {
        var clock = new ManualClock();
        using var factory = NewFactory(clock);
        var idle = factory.For(new AwsCredential("ap-northeast-2", Sandbox, "AKIDIDLE", "s"));

        clock.Advance(CloudClientFactory.IdleLifetime + TimeSpan.FromMinutes(2));
        var fresh = factory.For(new AwsCredential("ap-northeast-2", Sandbox, "AKIDFRESH", "s"));

        Assert.Equal(1, factory.CachedCount);
        Assert.NotSame(idle, factory.For(new AwsCredential("ap-northeast-2", Sandbox, "AKIDIDLE", "s")));
        Assert.Same(fresh, factory.For(new AwsCredential("ap-northeast-2", Sandbox, "AKIDFRESH", "s")));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => idle.Ec2.DescribeRegionsAsync(new Amazon.EC2.Model.DescribeRegionsRequest()));
    }

    [Fact]
    public void For_configures_the_sdk_clients_when_a_service_url_is_given()
    {
        using var factory = NewFactory(new ManualClock());

        var clients = factory.For(new AwsCredential("ap-northeast-2", Sandbox, "AKIDONE", "secret-one"));

        var config = (AmazonEC2Config)((AmazonEC2Client)clients.Ec2).Config;
        Assert.Equal(Sandbox.ToString(), config.ServiceURL);
        Assert.Equal("ap-northeast-2", config.AuthenticationRegion);
        Assert.Equal(Amazon.Runtime.RequestRetryMode.Standard, config.RetryMode);
        Assert.Equal(2, config.MaxErrorRetry);
        Assert.True(Amazon.AWSConfigs.InitializeCollections);
    }

    [Fact]
    public void Scope_reads_account_region_and_service_when_given_a_sigv4_header()
    {
        var header = new AuthenticationHeaderValue("AWS4-HMAC-SHA256", "Credential=AKIDEXAMPLE/20261207/ap-northeast-2/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc");

        Assert.Equal(("AKIDEXAMPLE", "ap-northeast-2", "ec2"), RateLimitingHandler.Scope(header));
        Assert.Null(RateLimitingHandler.Scope(new AuthenticationHeaderValue("Bearer", "token")));
        Assert.Null(RateLimitingHandler.Scope((AuthenticationHeaderValue?)null));
        Assert.Equal(("AKIDEXAMPLE", "ap-northeast-2", "elasticloadbalancing"), RateLimitingHandler.Scope("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/ap-northeast-2/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=abc"));
    }

    private static CloudClientFactory NewFactory(ManualClock clock) =>
        new(new AwsRateLimiter(clock), clock);

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
