using System.Collections.Concurrent;

namespace LabPortal.Sandbox.Wire;

/// <summary>
/// Token buckets per account, Region, service and bucket name, refilled from the injected clock.
/// Rates are client call rates, so the time scale does not apply to them.
/// </summary>
public sealed class ApiRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Account, string Region, string Service, string Bucket), TokenBucket> _buckets = new();

    // One short critical section for all buckets: a call may draw from two (an action's and the
    // account-wide one) and must take from both or neither.
    private readonly Lock _lock = new();

    /// <summary>Takes one token from every bucket, or none when any is empty (then the call is throttled).</summary>
    public bool TryAcquire(string accountId, string region, string service, IReadOnlyList<RateLimit> limits)
    {
        if (limits.Count == 0)
        {
            return true;
        }

        var now = time.GetUtcNow();
        var buckets = limits.Select(l => _buckets.GetOrAdd((accountId, region, service, l.Bucket), _ => new TokenBucket(l, now))).ToList();
        lock (_lock)
        {
            foreach (var bucket in buckets)
            {
                bucket.Refill(now);
            }

            if (buckets.Any(b => b.Tokens < 1))
            {
                return false;
            }

            foreach (var bucket in buckets)
            {
                bucket.Tokens -= 1;
            }

            return true;
        }
    }

    private sealed class TokenBucket(RateLimit limit, DateTimeOffset created)
    {
        private DateTimeOffset _last = created;

        public double Tokens { get; set; } = limit.Capacity;

        public void Refill(DateTimeOffset now)
        {
            var elapsed = (now - _last).TotalSeconds;
            if (elapsed > 0)
            {
                Tokens = Math.Min(limit.Capacity, Tokens + (elapsed * limit.RefillPerSecond));
                _last = now;
            }
        }
    }
}
