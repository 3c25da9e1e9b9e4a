using System.Net;
using Amazon.Runtime;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Elbv2;
using LabPortal.Tests.Aws.Support;

namespace LabPortal.Tests.Aws.Transport;

/// <summary>What the caller sees when something other than a well-formed AWS answer comes back, on AWSSDK.Core's pipeline.</summary>
public sealed class TransportFailureTests
{
    [Fact]
    public async Task Call_throws_unmarshalling_error_when_success_body_is_not_xml()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.OK, "<html>proxy page", RequestId: "req-proxy"));
        var elb = TestClients.Create(handler).Elbv2;

        var ex = await Assert.ThrowsAsync<AmazonUnmarshallingException>(() => elb.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest()));

        // AWSSDK.Core treats an unreadable answer as transient: all three attempts are made before it gives up.
        Assert.Contains("DescribeLoadBalancers", ex.Message, StringComparison.Ordinal);
        Assert.Equal("req-proxy", ex.RequestId);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Call_throws_service_exception_with_status_when_error_body_is_not_aws_shaped()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.Forbidden, "<html><body>Forbidden</body></html>", "text/html"));
        var elb = TestClients.Create(handler).Elbv2;

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => elb.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest()));

        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Call_fails_without_sending_when_credentials_fail()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.OK, "<x/>"));
        var elb = TestClients.Create(handler, credentials: new BrokenCredentials()).Elbv2;

        var ex = await Assert.ThrowsAnyAsync<AmazonClientException>(() => elb.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest()));

        Assert.Contains("Instance Metadata", ex.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Call_is_retried_when_attempt_times_out()
    {
        var counter = 0;
        var handler = new DelayingHandler(() => Interlocked.Increment(ref counter) == 1 ? TimeSpan.FromSeconds(30) : TimeSpan.Zero);
        var asg = TestClients.Create(handler, attemptTimeout: TimeSpan.FromMilliseconds(300)).AutoScaling;

        var response = await asg.CreateAutoScalingGroupAsync(new CreateAutoScalingGroupRequest { AutoScalingGroupName = "a", MinSize = 1, MaxSize = 2 });

        Assert.Equal("8d798a29-f083-11e1-bdfb-cb223EXAMPLE", response.ResponseMetadata.RequestId);
        Assert.Equal(2, counter);
    }

    private sealed class BrokenCredentials : AWSCredentials
    {
        public override ImmutableCredentials GetCredentials() => throw new AmazonClientException("Unable to get IAM security credentials from EC2 Instance Metadata Service.");

        public override Task<ImmutableCredentials> GetCredentialsAsync() => Task.FromException<ImmutableCredentials>(new AmazonClientException("Unable to get IAM security credentials from EC2 Instance Metadata Service."));
    }

    private sealed class DelayingHandler(Func<TimeSpan> delay) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(delay(), cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Responses.AwsExamples.AsgCreateAutoScalingGroup) };
        }
    }
}
