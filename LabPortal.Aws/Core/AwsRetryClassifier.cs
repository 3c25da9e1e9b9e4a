using System.Net;

namespace LabPortal.Aws.Core;

/// <summary>
/// The AWS SDK standard retry mode's classification: throttling codes, transient codes and
/// 500/502/503/504 are retried; any other 4xx is not.
/// See <see href="https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html">Retry behavior</see>.
/// </summary>
public static class AwsRetryClassifier
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
    };

    /// <summary>True for the throttling error codes of the standard retry mode.</summary>
    /// <param name="code">The AWS error code.</param>
    /// <returns>Whether the code means throttling.</returns>
    public static bool IsThrottlingCode(string? code) => code is not null && ThrottlingCodes.Contains(code);

    /// <summary>True when an error response should be retried.</summary>
    /// <param name="code">The AWS error code.</param>
    /// <param name="status">The HTTP status.</param>
    /// <returns>Whether to retry.</returns>
    public static bool IsRetryable(string? code, HttpStatusCode status) =>
        IsThrottlingCode(code)
        || (code is not null && TransientCodes.Contains(code))
        || status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
