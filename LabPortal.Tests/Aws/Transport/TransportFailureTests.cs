using System.Net;
using Amazon.Runtime;
using LabPortal.Aws.Core;
using LabPortal.Aws.Ec2;
using LabPortal.Tests.Aws.Support;

namespace LabPortal.Tests.Aws.Transport;

/// <summary>Whatever goes wrong, the caller sees an AwsServiceException with a code.</summary>
public sealed class TransportFailureTests
{
    [Fact]
    public async Task Call_throws_InvalidResponse_when_success_body_is_not_xml()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.OK, "<html>proxy page"));
        var ec2 = TestClients.Create(handler).Ec2;

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));

        Assert.Equal("InvalidResponse", ex.Code);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Call_throws_status_code_when_error_body_is_not_aws_shaped()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.Forbidden, "<html><body>Forbidden</body></html>", "text/html"));
        var ec2 = TestClients.Create(handler).Ec2;

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));

        Assert.Equal("Http403", ex.Code);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Call_throws_CredentialsUnavailable_without_sending_when_credentials_fail()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.OK, "<x/>"));
        var options = TestClients.Options();
        options.Credentials = new BrokenCredentials();
        var ec2 = TestClients.Create(handler, options).Ec2;

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));

        Assert.Equal("CredentialsUnavailable", ex.Code);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Call_is_retried_when_attempt_times_out()
    {
        var counter = 0;
        var handler = new DelayingHandler(() => Interlocked.Increment(ref counter) == 1 ? TimeSpan.FromSeconds(10) : TimeSpan.Zero);
        var options = TestClients.Options();
        options.AttemptTimeout = TimeSpan.FromMilliseconds(200);
        var ec2 = new AwsClientFactory(new HttpClient(handler)).CreateEc2Client(options);

        var response = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "a", Description = "b" });

        Assert.Equal("sg-1a2b3c4d", response.GroupId);
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
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Responses.AwsExamples.Ec2CreateSecurityGroup) };
        }
    }
}
