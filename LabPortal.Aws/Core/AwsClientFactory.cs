using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Elbv2;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabPortal.Aws.Core;

/// <summary>
/// Creates the generated ELBv2 and Auto Scaling clients per account (for example per learner, each with its own static keys) that
/// share one HTTP client, one rate limiter, one set of metrics and one clock. Register it as a
/// singleton; create clients freely, they are cheap.
/// </summary>
public sealed class AwsClientFactory
{
    private readonly HttpClient _http;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly AwsRateLimiter _rateLimiter;
    private readonly AwsMetrics _metrics;

    /// <summary>Creates a factory.</summary>
    /// <param name="httpClient">The shared HTTP client (one per process; tests pass one with a fake handler).</param>
    /// <param name="loggerFactory">The logger factory, or null for no logging.</param>
    /// <param name="timeProvider">The clock for signing, backoff and rate limiting, or null for the system clock.</param>
    /// <param name="rateLimiter">The shared rate limiter, or null for a new one.</param>
    /// <param name="metrics">The shared metrics, or null for new ones.</param>
    public AwsClientFactory(
        HttpClient httpClient,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        AwsRateLimiter? rateLimiter = null,
        AwsMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _rateLimiter = rateLimiter ?? new AwsRateLimiter(_time);
        _metrics = metrics ?? new AwsMetrics();
    }

    /// <summary>The transport every client of <paramref name="options"/> goes through.</summary>
    /// <param name="options">Region, endpoint and credentials.</param>
    /// <returns>A transport with its own retry budget.</returns>
    public AwsTransport CreateTransport(AwsClientOptions options) =>
        new(options, _http, _loggerFactory.CreateLogger("LabPortal.Aws"), _time, _rateLimiter, _metrics);

    /// <summary>Creates an ELBv2 client.</summary>
    /// <param name="options">Region, endpoint and credentials.</param>
    /// <returns>The client.</returns>
    public AmazonElasticLoadBalancingV2Client CreateElbv2Client(AwsClientOptions options) => new(CreateTransport(options));

    /// <summary>Creates an Auto Scaling client.</summary>
    /// <param name="options">Region, endpoint and credentials.</param>
    /// <returns>The client.</returns>
    public AmazonAutoScalingClient CreateAutoScalingClient(AwsClientOptions options) => new(CreateTransport(options));
}
