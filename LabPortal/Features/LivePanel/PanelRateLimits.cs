using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace LabPortal.Features.LivePanel;

/// <summary>
/// Caps the live panels' DescribeTargetHealth calls per cloud account, whatever the number of runs
/// and tabs, so a class watching its panels never uses up ELB's Describe budget (bucket 40, refill
/// 10/s per account: aws-behaviour.md §5.2) and steps keep the rest.
/// </summary>
public sealed class PanelRateLimits
{
    public const int CallsPerSecondPerAccount = 2;

    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _buckets = new(StringComparer.Ordinal);

    /// <summary>Waits for this account's next call slot; pollers queue rather than skip, so none shows stale emptiness.</summary>
    public async ValueTask WaitAsync(string account, CancellationToken cancellationToken)
    {
        var bucket = _buckets.GetOrAdd(account, _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = CallsPerSecondPerAccount,
            TokensPerPeriod = CallsPerSecondPerAccount,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 10_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));
        using var lease = await bucket.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException("The live panel's call queue for this account is full.");
        }
    }
}
