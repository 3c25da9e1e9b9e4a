using System.Net;
using Amazon.Runtime;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Core;
using LabPortal.Aws.Elbv2;
using LabPortal.Tests.Aws.Support;

namespace LabPortal.Tests.Aws.Transport;

/// <summary>Whatever goes wrong, the caller sees an AmazonServiceException with a code.</summary>
public sealed class TransportFailureTests
{
    [Fact]
    public async Task Call_throws_InvalidResponse_when_success_body_is_not_xml()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.OK, "<html>proxy page"));
        var elb = TestClients.Create(handler).Elbv2;

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => elb.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest()));

        Assert.Equal("InvalidResponse", ex.ErrorCode);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Call_throws_status_code_when_error_body_is_not_aws_shaped()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.Forbidden, "<html><body>Forbidden</body></html>", "text/html"));
        var elb = TestClients.Create(handler).Elbv2;

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => elb.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest()));

        Assert.Equal("Http403", ex.ErrorCode);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Call_throws_CredentialsUnavailable_without_sending_when_credentials_fail()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.OK, "<x/>"));
        var options = TestClients.Options();
        options.Credentials = new BrokenCredentials();
        var elb = TestClients.Create(handler, options).Elbv2;

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => elb.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest()));

        Assert.Equal("CredentialsUnavailable", ex.ErrorCode);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Call_is_retried_when_attempt_times_out()
    {
        var counter = 0;
        var handler = new DelayingHandler(() => Interlocked.Increment(ref counter) == 1 ? TimeSpan.FromSeconds(10) : TimeSpan.Zero);
        var options = TestClients.Options();
        options.AttemptTimeout = TimeSpan.FromMilliseconds(200);
        var asg = new AwsClientFactory(new HttpClient(handler)).CreateAutoScalingClient(options);

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
