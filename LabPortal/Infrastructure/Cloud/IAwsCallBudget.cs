namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// A per-account AWS call budget shared by every portal node (<see cref="PostgresCallBudget"/>), used by
/// <see cref="RateLimitingHandler"/> instead of the in-process buckets when several nodes may call with
/// the same account.
/// </summary>
public interface IAwsCallBudget
{
    /// <summary>Waits until the call's bucket (sized as <c>AwsRateLimiter.BucketFor</c> says) has a token, then takes it.</summary>
    ValueTask AcquireAsync(string account, string region, string service, string action, CancellationToken cancellationToken = default);
}
