using Amazon.Runtime;

namespace LabPortal.Aws.Core;

/// <summary>
/// Where and as whom the clients call: region, an optional endpoint override for every service
/// (the sandbox, moto or another emulator), credentials, and the retry and timeout settings.
/// </summary>
public sealed class AwsClientOptions
{
    /// <summary>The AWS region, e.g. <c>ap-northeast-2</c>.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>One endpoint for every service (sandbox, moto); null means AWS's regional endpoints.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>
    /// The credentials (AWSSDK.Core): <see cref="AwsCredentials.Static"/> for sandbox keys,
    /// <see cref="AwsCredentials.AssumeRole"/> for account pools; null uses the SDK's default chain
    /// (environment, profile, container, instance metadata).
    /// </summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>Attempts per call including the first (AWS SDK standard mode: 3).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The base of the exponential backoff: attempt n waits rand(0,1) * base * 2^(n-1).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap of one backoff delay (standard mode: 20 s).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The timeout of one attempt; a timed-out attempt is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether calls wait for the client-side token buckets sized to AWS's published limits.</summary>
    public bool EnableRateLimiting { get; set; } = true;

    /// <summary>Creates options for static keys (a sandbox or moto account) and an optional endpoint.</summary>
    /// <param name="region">The region.</param>
    /// <param name="accessKey">The access key id.</param>
    /// <param name="secretKey">The secret access key.</param>
    /// <param name="serviceUrl">The endpoint for every service, or null for AWS.</param>
    /// <returns>The options.</returns>
    public static AwsClientOptions ForStaticKeys(string region, string accessKey, string secretKey, Uri? serviceUrl = null) => new()
    {
        Region = region,
        ServiceUrl = serviceUrl,
        Credentials = AwsCredentials.Static(accessKey, secretKey),
    };
}
