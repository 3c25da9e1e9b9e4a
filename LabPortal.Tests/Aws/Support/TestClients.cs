using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Core;
using LabPortal.Aws.Elbv2;
using Microsoft.Extensions.Logging;

namespace LabPortal.Tests.Aws.Support;

/// <summary>Builds the generated clients on a fake handler with fast retries, for unit tests.</summary>
public static class TestClients
{
    public const string AccessKey = "AKIDLABPORTALTEST";
    public const string SecretKey = "s3cr3t/LabPortal+Test/Key/DoNotLog0000000";

    public static AwsClientOptions Options(string? sessionToken = null) => new()
    {
        Region = "ap-northeast-2",
        ServiceUrl = new Uri("http://aws.test/"),
        Credentials = AwsCredentials.Static(AccessKey, SecretKey, sessionToken),
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(5),
        EnableRateLimiting = false,
    };

    public static GeneratedClients Create(FakeAwsHandler handler, AwsClientOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        var transport = new AwsClientFactory(new HttpClient(handler), loggerFactory).CreateTransport(options ?? Options());
        return new GeneratedClients(new AmazonElasticLoadBalancingV2Client(transport), new AmazonAutoScalingClient(transport));
    }
}

/// <summary>The two generated clients sharing one transport.</summary>
public sealed record GeneratedClients(AmazonElasticLoadBalancingV2Client Elbv2, AmazonAutoScalingClient AutoScaling);
