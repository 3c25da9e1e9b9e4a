using System.Net;
using Amazon.Runtime;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Core;
using LabPortal.Aws.Elbv2;
using LabPortal.Tests.Aws.Responses;
using LabPortal.Tests.Aws.Support;

namespace LabPortal.Tests.Aws.Transport;

/// <summary>Standard-mode retries: throttling and 5xx retried, other 4xx never, three attempts, a budget.</summary>
public sealed class RetryTests
{
    private const string Throttling = """
        <ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
          <RequestId>throttled-elb</RequestId>
        </ErrorResponse>
        """;

    private const string RequestLimitExceeded = """
        <Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>throttled-ec2</RequestID></Response>
        """;

    private const string ValidationError = """
        <ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <Error><Type>Sender</Type><Code>ValidationError</Code><Message>Target group name 'bad_name' can only contain characters that are alphanumeric characters or hyphens(-)</Message></Error>
          <RequestId>validation</RequestId>
        </ErrorResponse>
        """;

    [Fact]
    public async Task Throttling_server_sees_every_call_succeed_when_half_the_responses_are_throttles()
    {
        // Every call's first attempt is throttled and its retry answered (ELB's "Throttling" 400, or a 503
        // "RequestLimitExceeded" for Auto Scaling calls): half the responses are throttles. Each retry waits the SDK's
        // standard backoff (up to a second), so the calls go ten at a time, each of them in order.
        var attempts = new Dictionary<string, int>();
        var throttled = 0;
        var handler = new FakeAwsHandler(seen =>
        {
            int n;
            lock (attempts)
            {
                attempts[seen.Body] = n = attempts.GetValueOrDefault(seen.Body) + 1;
            }

            var ec2 = seen.Form["Version"] == "2011-01-01";
            if (n == 1)
            {
                Interlocked.Increment(ref throttled);
                return ec2
                    ? new(HttpStatusCode.ServiceUnavailable, RequestLimitExceeded)
                    : new(HttpStatusCode.BadRequest, Throttling);
            }

            return new(HttpStatusCode.OK, ec2 ? AwsExamples.AsgCreateAutoScalingGroup : AwsExamples.ElbDescribeTargetHealth);
        });
        var clients = TestClients.Create(handler);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(async lane =>
        {
            for (var i = lane; i < 50; i += 10)
            {
                await clients.AutoScaling.CreateAutoScalingGroupAsync(new CreateAutoScalingGroupRequest { AutoScalingGroupName = $"asg-{i}", MinSize = 1, MaxSize = 2 });
                await clients.Elbv2.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = $"arn:tg/{i}" });
            }
        }));

        // 100 calls, each throttled once and answered on its second attempt: 200 requests, half of them throttled.
        Assert.Equal(200, handler.Requests.Count);
        Assert.Equal(100, handler.Requests.Select(r => r.Body).Distinct().Count());
        Assert.Equal(100, throttled);
    }

    [Fact]
    public async Task Throttling_server_sees_calls_succeed_when_random_throttles_stay_within_attempts()
    {
        // 50% throttles, drawn at random (seeded) but at most two in a row per call, with calls in parallel.
        var random = new Random(20261122);
        var consecutive = new Dictionary<string, int>();
        var handler = new FakeAwsHandler(seen =>
        {
            lock (consecutive)
            {
                var key = seen.Body;
                consecutive.TryGetValue(key, out var c);
                if (c < 2 && random.NextDouble() < 0.5)
                {
                    consecutive[key] = c + 1;
                    return new(HttpStatusCode.BadRequest, Throttling);
                }

                consecutive[key] = 0;
                return new(HttpStatusCode.OK, AwsExamples.ElbDescribeTargetHealth);
            }
        });
        var elb = TestClients.Create(handler).Elbv2;

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = $"arn:tg/{i}" })));

        Assert.InRange(handler.Requests.Count, 41, 120);
    }

    [Fact]
    public async Task ValidationError_is_attempted_exactly_once_when_service_rejects_input()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.BadRequest, ValidationError));
        var elb = TestClients.Create(handler).Elbv2;

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => elb.CreateTargetGroupAsync(new CreateTargetGroupRequest { Name = "bad_name" }));

        Assert.Equal("ValidationError", ex.ErrorCode);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Throttling_gives_up_after_three_attempts_when_every_response_throttles()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.BadRequest, Throttling));
        var elb = TestClients.Create(handler).Elbv2;

        var ex = await Assert.ThrowsAsync<AmazonElasticLoadBalancingV2Exception>(() => elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "arn" }));

        Assert.Equal("Throttling", ex.ErrorCode);
        Assert.Equal("throttled-elb", ex.RequestId);
        Assert.True(AwsRetryClassifier.IsThrottlingCode(ex.ErrorCode));
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Server_error_is_retried_when_status_is_500()
    {
        var counter = 0;
        var handler = new FakeAwsHandler(_ => Interlocked.Increment(ref counter) == 1
            ? new(HttpStatusCode.InternalServerError, "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>x</Message></Error><RequestId>r</RequestId></ErrorResponse>")
            : new(HttpStatusCode.OK, AwsExamples.AsgCreateAutoScalingGroup));
        var asg = TestClients.Create(handler).AutoScaling;

        var response = await asg.CreateAutoScalingGroupAsync(new CreateAutoScalingGroupRequest { AutoScalingGroupName = "a", MinSize = 1, MaxSize = 2 });

        Assert.Equal("8d798a29-f083-11e1-bdfb-cb223EXAMPLE", response.ResponseMetadata.RequestId);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Each_attempt_is_signed_again_when_retrying()
    {
        var counter = 0;
        var handler = new FakeAwsHandler(_ => Interlocked.Increment(ref counter) == 1
            ? new(HttpStatusCode.BadRequest, Throttling)
            : new(HttpStatusCode.OK, AwsExamples.ElbDescribeTargetHealth));
        // The first answer comes more than a second later, so a re-signed retry carries a later X-Amz-Date.
        var elb = TestClients.Create(new SlowFirstAnswer(handler)).Elbv2;

        await elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "arn" });

        // AWSSDK.Core's signer sits inside its retry handler: each attempt is numbered and signed again.
        Assert.Equal(2, handler.Requests.Count);
        Assert.NotEqual(handler.Requests[0].Headers["X-Amz-Date"], handler.Requests[1].Headers["X-Amz-Date"]);
        Assert.StartsWith("attempt=1", handler.Requests[0].Headers["amz-sdk-request"], StringComparison.Ordinal);
        Assert.StartsWith("attempt=2", handler.Requests[1].Headers["amz-sdk-request"], StringComparison.Ordinal);
        Assert.NotEqual(handler.Requests[0].Headers["Authorization"], handler.Requests[1].Headers["Authorization"]);
    }

    [Fact]
    public async Task Cancellation_stops_the_call_when_token_is_cancelled()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.BadRequest, Throttling));
        var stalling = new StallingHandler(handler);
        var elb = TestClients.Create(stalling).Elbv2;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "a" }, cts.Token));
        Assert.Equal(1, stalling.Started);
    }

    /// <summary>Answers the first request after 1.1 s, the others at once.</summary>
    private sealed class SlowFirstAnswer(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (Interlocked.Increment(ref _calls) == 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1100), cancellationToken);
            }

            return response;
        }
    }

    /// <summary>Holds every request until it is cancelled.</summary>
    private sealed class StallingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _started;

        public int Started => Volatile.Read(ref _started);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }

    [Theory]
    [InlineData("Throttling", 400, true)]
    [InlineData("RequestLimitExceeded", 503, true)]
    [InlineData("ThrottlingException", 400, true)]
    [InlineData("InternalError", 500, true)]
    [InlineData("ResourceContention", 500, true)]
    [InlineData("ValidationError", 400, false)]
    [InlineData("InvalidGroup.NotFound", 400, false)]
    [InlineData("UnauthorizedOperation", 403, false)]
    [InlineData("DryRunOperation", 412, false)]
    public void Classifier_retries_only_throttling_and_server_errors_when_given_code(string code, int status, bool retry)
    {
        Assert.Equal(retry, AwsRetryClassifier.IsRetryable(code, (HttpStatusCode)status));
    }
}
