using System.Diagnostics.Metrics;
using System.Net;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Core;
using LabPortal.Aws.Elbv2;
using LabPortal.Tests.Aws.Responses;
using LabPortal.Tests.Aws.Support;

namespace LabPortal.Tests.Aws.Transport;

/// <summary>Every call is logged and counted; no secret key, signature or session token reaches the logs.</summary>
public sealed partial class LoggingAndMetricsTests
{
    private const string SessionToken = "FwoGZXIvYXdzEXAMPLE-session-token-never-log-me";

    [Fact]
    public async Task Logs_never_contain_secret_signature_or_token_when_calls_succeed_retry_and_fail()
    {
        var counter = 0;
        var handler = new FakeAwsHandler(seen => (Interlocked.Increment(ref counter) % 3) switch
        {
            1 => new(HttpStatusCode.BadRequest, "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>t</RequestId></ErrorResponse>"),
            2 => new(HttpStatusCode.OK, seen.Form["Version"] == "2011-01-01" ? AwsExamples.AsgCreateAutoScalingGroup : AwsExamples.ElbDescribeTargetHealth),
            _ => new(HttpStatusCode.BadRequest, "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>bad</Message></Error><RequestId>v</RequestId></ErrorResponse>"),
        });
        var logs = new CapturingLoggerProvider();
        var clients = TestClients.Create(handler, sessionToken: SessionToken, loggerFactory: logs);

        await clients.AutoScaling.CreateAutoScalingGroupAsync(new CreateAutoScalingGroupRequest { AutoScalingGroupName = "a", MinSize = 1, MaxSize = 2 });
        await Assert.ThrowsAnyAsync<AmazonServiceException>(() => clients.Elbv2.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "x" }));
        await clients.AutoScaling.CreateAutoScalingGroupAsync(new CreateAutoScalingGroupRequest { AutoScalingGroupName = "b", MinSize = 1, MaxSize = 2 });

        var signatures = handler.Requests.Select(r => SignatureRegex().Match(r.Headers["Authorization"]).Groups[1].Value).ToList();
        Assert.All(signatures, s => Assert.Equal(64, s.Length));
        Assert.NotEmpty(logs.Entries);
        Assert.Contains(logs.Entries, e => e.Contains("CreateAutoScalingGroup", StringComparison.Ordinal) && e.Contains("succeeded", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Contains("ValidationError", StringComparison.Ordinal));
        foreach (var entry in logs.Entries)
        {
            Assert.DoesNotContain(TestClients.SecretKey, entry, StringComparison.Ordinal);
            Assert.DoesNotContain(SessionToken, entry, StringComparison.Ordinal);
            Assert.DoesNotContain("Signature=", entry, StringComparison.Ordinal);
            Assert.All(signatures, s => Assert.DoesNotContain(s, entry, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Metrics_count_calls_errors_throttles_and_latency_when_calls_are_made()
    {
        var counter = 0;
        var handler = new FakeAwsHandler(_ => Interlocked.Increment(ref counter) switch
        {
            1 => new(HttpStatusCode.BadRequest, "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>t</RequestId></ErrorResponse>"),
            2 => new(HttpStatusCode.OK, AwsExamples.ElbDescribeTargetHealth),
            _ => new(HttpStatusCode.BadRequest, "<ErrorResponse><Error><Code>TargetGroupNotFound</Code><Message>no</Message></Error><RequestId>n</RequestId></ErrorResponse>"),
        });
        using var metrics = new AwsMetrics();
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == metrics.Calls.Meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, value, _, _) => { lock (seen) { seen[i.Name] = seen.GetValueOrDefault(i.Name) + value; } });
        listener.SetMeasurementEventCallback<double>((i, value, _, _) => { lock (seen) { seen[i.Name] = seen.GetValueOrDefault(i.Name) + 1; } });
        listener.Start();
        var elb = TestClients.Create(handler, metrics: metrics).Elbv2;

        await elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "a" });
        await Assert.ThrowsAnyAsync<AmazonServiceException>(() => elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "b" }));

        Assert.Equal(2, seen["labportal.aws.calls"]);
        Assert.Equal(1, seen["labportal.aws.errors"]);
        Assert.Equal(1, seen["labportal.aws.throttles"]);
        Assert.Equal(2, seen["labportal.aws.duration"]);
    }

    [GeneratedRegex("Signature=([0-9a-f]+)")]
    private static partial Regex SignatureRegex();
}
