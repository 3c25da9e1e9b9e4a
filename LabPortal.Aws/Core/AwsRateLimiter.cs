namespace LabPortal.Aws.Core;

/// <summary>
/// Client-side token buckets per account, region, service and AWS throttling category, sized to
/// AWS's published buckets so a whole class of learners cannot trip AWS's own throttling.
/// Share one instance across clients (the factory does). Sources:
/// <see href="https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html">EC2 request throttling</see>,
/// <see href="https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html">ELB API throttling</see>.
/// </summary>
public sealed class AwsRateLimiter
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Creates a limiter.</summary>
    /// <param name="timeProvider">The clock (tests inject their own).</param>
    public AwsRateLimiter(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The bucket category and size of an action.</summary>
    /// <param name="serviceId">The service id (<c>ec2</c>, <c>elbv2</c> or its signing name <c>elasticloadbalancing</c>, <c>autoscaling</c>, <c>ssm</c>).</param>
    /// <param name="action">The action name.</param>
    /// <returns>The category name (the bucket key) and its limit.</returns>
    public static (string Category, TokenBucketLimit Limit) BucketFor(string serviceId, string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var nonMutating = action.StartsWith("Describe", StringComparison.Ordinal)
            || action.StartsWith("Get", StringComparison.Ordinal)
            || action.StartsWith("List", StringComparison.Ordinal);
        return serviceId switch
        {
            "ec2" => action switch
            {
                "RunInstances" or "StartInstances" => (action, new(5, 2)),
                "TerminateInstances" => (action, new(100, 5)),
                "CreateTags" => (action, new(100, 10)),
                _ when nonMutating => ("non-mutating", new(100, 20)),
                _ => ("mutating", new(50, 5)),
            },
            // "elasticloadbalancing" is ELB's SigV4 signing name, which RateLimitingHandler reads from the credential scope.
            "elbv2" or "elasticloadbalancing" => action switch
            {
                "CreateLoadBalancer" or "SetSubnets" => ("resource-intensive", new(10, 0.2)),
                "RegisterTargets" or "DeregisterTargets" => ("registration", new(20, 4)),
                _ when nonMutating => ("non-mutating", new(40, 10)),
                _ => ("mutating", new(20, 3)),
            },

            // Auto Scaling and SSM publish no per-action numbers; one shared bucket per account
            // (repost.aws knowledge center "autoscaling-api-calls-throttled"), sized like ELB's.
            _ => ("shared", new(40, 10)),
        };
    }

    /// <summary>Waits until the bucket of this call has a token, then takes it.</summary>
    /// <param name="account">The account key (access key id or account id).</param>
    /// <param name="region">The region.</param>
    /// <param name="serviceId">The service id.</param>
    /// <param name="action">The action.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>How long the call waited.</returns>
    public async ValueTask<TimeSpan> AcquireAsync(string account, string region, string serviceId, string action, CancellationToken cancellationToken = default)
    {
        var (category, limit) = BucketFor(serviceId, action);
        var key = $"{account}|{region}|{serviceId}|{category}";
        var waited = TimeSpan.Zero;
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                if (!_buckets.TryGetValue(key, out var bucket))
                {
                    bucket = new Bucket(limit.Capacity, _time.GetTimestamp());
                    _buckets[key] = bucket;
                }

                var now = _time.GetTimestamp();
                var elapsed = _time.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
                bucket.Tokens = Math.Min(limit.Capacity, bucket.Tokens + (elapsed * limit.RefillPerSecond));
                bucket.Stamp = now;
                if (bucket.Tokens >= 1)
                {
                    bucket.Tokens -= 1;
                    return waited;
                }

                wait = TimeSpan.FromSeconds((1 - bucket.Tokens) / limit.RefillPerSecond);
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            waited += wait;
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens { get; set; } = tokens;

        public long Stamp { get; set; } = stamp;
    }
}
