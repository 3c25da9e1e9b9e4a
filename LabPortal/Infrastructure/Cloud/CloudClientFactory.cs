using System.Security.Cryptography;
using System.Text;
using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Core;
using LabPortal.Aws.Elbv2;

namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// The one place AWS clients are made (a singleton). It keeps one set of clients per learner
/// credential (<see cref="AwsCredential"/>: a sandbox account, the shared account, later an STS
/// session) and region, all on one configuration: the sandbox's or an emulator's service URL, the
/// SDK's standard retry mode (3 attempts), a per-attempt timeout, one pooled HTTP connection set and
/// the per-account rate limiter. A set idle for <see cref="IdleLifetime"/> is evicted and disposed.
/// </summary>
public sealed class CloudClientFactory : IDisposable
{
    /// <summary>How long an unused set of clients stays cached.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(30);

    /// <summary>The timeout of one attempt (a timed-out attempt is retried by the SDK).</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    private readonly AwsCallTelemetry? _telemetry;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly SharedHttpClientFactory _httpFactory;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _lastSweep;
    private bool _disposed;

    static CloudClientFactory()
    {
        // Decided once for the whole portal: SDK v4 leaves absent lists null unless this is set; with it
        // every list reads as empty, as the portal's code (written against v3's shape) expects.
        AWSConfigs.InitializeCollections = true;
    }

    // sharedBudget: the budget every node shares, registered only when the portal's database is PostgreSQL.
    public CloudClientFactory(AwsRateLimiter rateLimiter, TimeProvider time, AwsCallTelemetry? telemetry = null, IAwsCallBudget? sharedBudget = null)
    {
        _telemetry = telemetry;
        _time = time;
        _http = new HttpClient(new RateLimitingHandler(rateLimiter, sharedBudget)
        {
            InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        })
        {
            Timeout = AttemptTimeout,
        };
        _httpFactory = new SharedHttpClientFactory(_http);
        _lastSweep = time.GetTimestamp();
    }

    /// <summary>How many sets of clients are cached now.</summary>
    public int CachedCount
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The clients of <paramref name="credential"/>, created on first use and cached.</summary>
    public AwsClients For(AwsCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var key = KeyOf(credential);
        List<AwsClients> evicted;
        AwsClients clients;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetTimestamp();
            evicted = SweepIdle(now);
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry(Create(credential));
                _entries[key] = entry;
            }

            entry.LastUsed = now;
            clients = entry.Clients;
        }

        evicted.ForEach(c => c.Dispose());
        return clients;
    }

    public void Dispose()
    {
        List<AwsClients> all;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            all = [.. _entries.Values.Select(e => e.Clients)];
            _entries.Clear();
        }

        all.ForEach(c => c.Dispose());
        _http.Dispose();
    }

    private AwsClients Create(AwsCredential credential)
    {
        AWSCredentials? keys = credential.AccessKeyId is { Length: > 0 } accessKey
            ? new BasicAWSCredentials(accessKey, credential.SecretAccessKey ?? "")
            : null;
        if (credential.Role is { } role)
        {
            // An account pool: the learner's clients sign with STS session credentials, renewed before they expire
            // (RefreshingAWSCredentials), assumed with the portal's own keys or its default chain.
            keys = new StsAssumeRoleCredentials(
                keys ?? AwsCredentials.Default(),
                role.RoleArn,
                role.SessionName,
                credential.Region,
                credential.ServiceUrl,
                role.Duration,
                new StsSessionOptions { ExternalId = role.ExternalId, Tags = role.Tags, RefreshBefore = role.RefreshBefore, ExpiryMargin = role.ExpiryMargin });
        }

        var ec2Config = Configure(new AmazonEC2Config(), credential);
        var ssmConfig = Configure(new AmazonSimpleSystemsManagementConfig(), credential);

        // Without keys the SDK resolves its default chain (environment, profile, container, instance metadata).
        IAmazonEC2 ec2 = keys is null ? new AmazonEC2Client(ec2Config) : new AmazonEC2Client(keys, ec2Config);
        IAmazonSimpleSystemsManagement ssm = keys is null ? new AmazonSimpleSystemsManagementClient(ssmConfig) : new AmazonSimpleSystemsManagementClient(keys, ssmConfig);

        // The generated ELBv2 and Auto Scaling clients are AWSSDK.Core clients too: same configuration, same
        // HttpClient (so the rate limiter holds their attempts), plus the call telemetry the EC2/SSM clients lack.
        var elbConfig = Configure(new AmazonElasticLoadBalancingV2Config { CallTelemetry = _telemetry }, credential);
        var asgConfig = Configure(new AmazonAutoScalingConfig { CallTelemetry = _telemetry }, credential);
        IAmazonElasticLoadBalancingV2 elb = keys is null ? new AmazonElasticLoadBalancingV2Client(elbConfig) : new AmazonElasticLoadBalancingV2Client(keys, elbConfig);
        IAmazonAutoScaling asg = keys is null ? new AmazonAutoScalingClient(asgConfig) : new AmazonAutoScalingClient(keys, asgConfig);
        return new AwsClients(ec2, elb, asg, ssm) { OwnedCredentials = credential.Role is null ? null : keys as IDisposable };
    }

    private T Configure<T>(T config, AwsCredential credential)
        where T : ClientConfig
    {
        if (credential.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = credential.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(credential.Region);
        }

        // AWS's standard retry mode: 3 attempts in all (2 retries), jittered backoff, a retry quota.
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = 2;
        // Sign every attempt again (the SDK's default reuses the first signature), as LabPortal.Aws's own transport did.
        config.ResignRetries = true;
        config.Timeout = AttemptTimeout;
        config.HttpClientFactory = _httpFactory;
        return config;
    }

    private List<AwsClients> SweepIdle(long now)
    {
        if (_time.GetElapsedTime(_lastSweep, now) < TimeSpan.FromMinutes(1))
        {
            return [];
        }

        _lastSweep = now;
        var idle = _entries.Where(e => _time.GetElapsedTime(e.Value.LastUsed, now) > IdleLifetime).ToList();
        foreach (var (key, _) in idle)
        {
            _entries.Remove(key);
        }

        return [.. idle.Select(e => e.Value.Clients)];
    }

    // The secret is part of the identity (a re-created sandbox account may reuse nothing else), but only as a hash.
    private static string KeyOf(AwsCredential c) =>
        $"{c.Region}|{c.ServiceUrl}|{c.AccessKeyId}|{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(c.SecretAccessKey ?? "")))}|{c.Role?.RoleArn}|{c.Role?.SessionName}";

    private sealed class Entry(AwsClients clients)
    {
        public AwsClients Clients { get; } = clients;

        public long LastUsed { get; set; }
    }

    /// <summary>Every SDK client shares the factory's one HTTP client (its connections and rate limiter) and never disposes it.</summary>
    private sealed class SharedHttpClientFactory(HttpClient client) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => client;

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    }
}
