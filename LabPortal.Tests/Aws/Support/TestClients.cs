using Amazon.Runtime;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Core;
using LabPortal.Aws.Elbv2;
using Microsoft.Extensions.Logging;

namespace LabPortal.Tests.Aws.Support;

/// <summary>
/// Builds the generated clients for unit tests as the portal's factory does (AWSSDK.Core configuration,
/// standard retry mode, three attempts), with every attempt answered by an in-process handler through the
/// SDK's <see cref="HttpClientFactory"/> hook.
/// </summary>
public static class TestClients
{
    public const string AccessKey = "AKIDLABPORTALTEST";
    public const string SecretKey = "s3cr3t/LabPortal+Test/Key/DoNotLog0000000";
    public const string Region = "ap-northeast-2";

    public static GeneratedClients Create(
        HttpMessageHandler handler,
        string? sessionToken = null,
        ILoggerFactory? loggerFactory = null,
        AwsMetrics? metrics = null,
        AWSCredentials? credentials = null,
        Action<ClientConfig>? configure = null,
        TimeSpan? attemptTimeout = null)
    {
        // As in the portal's factory, the per-attempt timeout is the shared HttpClient's: AWSSDK.Core applies
        // ClientConfig.Timeout only to HttpClients it creates itself.
        var http = new HttpClient(handler) { Timeout = attemptTimeout ?? TimeSpan.FromSeconds(30) };
        var telemetry = new AwsCallTelemetry(metrics ?? new AwsMetrics(), loggerFactory?.CreateLogger("LabPortal.Aws"));
        credentials ??= AwsCredentials.Static(AccessKey, SecretKey, sessionToken);
        var elb = Configure(new AmazonElasticLoadBalancingV2Config { CallTelemetry = telemetry }, http, configure);
        var asg = Configure(new AmazonAutoScalingConfig { CallTelemetry = telemetry }, http, configure);
        return new GeneratedClients(new AmazonElasticLoadBalancingV2Client(credentials, elb), new AmazonAutoScalingClient(credentials, asg));
    }

    private static T Configure<T>(T config, HttpClient http, Action<ClientConfig>? configure)
        where T : ClientConfig
    {
        config.ServiceURL = "http://aws.test/";
        config.AuthenticationRegion = Region;
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = 2;
        config.ResignRetries = true;
        config.Timeout = http.Timeout;
        config.HttpClientFactory = new FixedHttpClientFactory(http);
        configure?.Invoke(config);
        return config;
    }
}

/// <summary>The two generated clients on one fake endpoint.</summary>
public sealed record GeneratedClients(AmazonElasticLoadBalancingV2Client Elbv2, AmazonAutoScalingClient AutoScaling);

/// <summary>Hands the SDK one prepared HTTP client (as the portal's factory does) and never disposes it.</summary>
public sealed class FixedHttpClientFactory(HttpClient client) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => client;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}
