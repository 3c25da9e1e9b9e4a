using System.Net;
using Amazon.Runtime;
using LabPortal.Aws.Core;
using LabPortal.Aws.Elbv2;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Tests.Aws.Responses;

namespace LabPortal.Tests.Portal.Cloud;

/// <summary>
/// The generated ELBv2 client as the portal gets it (<see cref="CloudClientFactory"/>: AWSSDK.Core's pipeline,
/// the shared HttpClient with the rate limiter) against a real HTTP listener on a free port: what the
/// portal relies on from the SDK's retry, error unmarshalling and the HttpClientFactory hook.
/// </summary>
public sealed class SdkPipelineTests
{
    private const string Throttling = """
        <ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
          <RequestId>throttled-1</RequestId>
        </ErrorResponse>
        """;

    [Fact]
    public async Task Throttling_answer_is_retried_and_then_succeeds_when_the_listener_recovers()
    {
        using var listener = new LocalAwsListener((n, _) => n == 1 ? (HttpStatusCode.BadRequest, Throttling) : (HttpStatusCode.OK, AwsExamples.ElbTargetGroupsPage("web-tg", null)));
        using var factory = new CloudClientFactory(new AwsRateLimiter(), TimeProvider.System);
        var elb = factory.For(new AwsCredential("ap-northeast-2", listener.Url, "AKIDPIPELINE", "secret")).Elbv2;

        var response = await elb.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest { Names = ["web-tg"] });

        Assert.Equal("web-tg", Assert.Single(response.TargetGroups!).TargetGroupName);
        Assert.Equal(2, listener.Seen.Count);
        Assert.All(listener.Seen, s =>
        {
            Assert.StartsWith("Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=web-tg", s.Body, StringComparison.Ordinal);
            Assert.Contains("Credential=AKIDPIPELINE/", s.Authorization, StringComparison.Ordinal);
            Assert.Contains("/ap-northeast-2/elasticloadbalancing/aws4_request", s.Authorization, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Error_xml_becomes_the_modelled_exception_when_the_listener_answers_an_error()
    {
        using var listener = new LocalAwsListener((_, _) => (HttpStatusCode.BadRequest, AwsExamples.ElbTargetGroupNotFound));
        using var factory = new CloudClientFactory(new AwsRateLimiter(), TimeProvider.System);
        var elb = factory.For(new AwsCredential("ap-northeast-2", listener.Url, "AKIDPIPELINE", "secret")).Elbv2;

        var ex = await Assert.ThrowsAsync<TargetGroupNotFoundException>(() => elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "arn:nope" }));

        Assert.IsAssignableFrom<AmazonElasticLoadBalancingV2Exception>(ex);
        Assert.Equal("TargetGroupNotFound", ex.ErrorCode);
        Assert.Equal("2b0bd3b0-0e39-11e6-a8d3-2d7d1e1e2c0b", ex.RequestId);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(ErrorType.Sender, ex.ErrorType);
        Assert.Single(listener.Seen);
    }

    [Fact]
    public async Task Rate_limiter_counts_elb_calls_when_they_go_through_the_factory()
    {
        // CreateLoadBalancer's published bucket holds 10 calls and refills one every 5 s: after ten calls through
        // the portal's clients, the next token for this account has to be waited for.
        using var listener = new LocalAwsListener((_, _) => (HttpStatusCode.OK, AwsExamples.ElbDeleteTargetGroup));
        var limiter = new AwsRateLimiter();
        using var factory = new CloudClientFactory(limiter, TimeProvider.System);
        var elb = factory.For(new AwsCredential("ap-northeast-2", listener.Url, "AKIDLIMITED", "secret")).Elbv2;

        for (var i = 0; i < 10; i++)
        {
            await elb.CreateLoadBalancerAsync(new CreateLoadBalancerRequest { Name = $"lb-{i}", Subnets = ["subnet-a", "subnet-b"] });
        }

        var waited = await limiter.AcquireAsync("AKIDLIMITED", "ap-northeast-2", "elasticloadbalancing", "CreateLoadBalancer");

        Assert.Equal(10, listener.Seen.Count);
        Assert.True(waited > TimeSpan.Zero, "the eleventh CreateLoadBalancer token was available at once: the ELB calls did not reach the limiter");
    }
}
