using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.Services.Ec2;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>
/// Real HTTP health checks for every registration of every target group a load balancer uses
/// (aws-behaviour.md 1.3): one loop for the whole sandbox wakes when the next check is due, starts
/// each due check on the thread pool (at most <see cref="MaxConcurrentChecks"/> at once), and sleeps
/// until something changes when nothing needs checking. Results are runtime state: after a restart
/// targets start again at <c>initial</c>, as a new load balancer node would see them.
/// </summary>
public sealed class Elbv2HealthChecker : IDisposable
{
    public const int MaxConcurrentChecks = 32;

    /// <summary>A scaled interval below this would only burn CPU (30 s at time scale 1000 is 30 ms).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Floor of the scaled check timeout: a loaded machine needs some milliseconds to answer even a healthy check.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Elbv2TargetKey, Record> _records = new();
    private readonly Elbv2Snapshots _snapshots;
    private readonly IEc2Instances _instances;
    private readonly SandboxClock _clock;
    private readonly SandboxBackgroundWork _background;
    private readonly ILogger<Elbv2HealthChecker> _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _concurrency = new(MaxConcurrentChecks, MaxConcurrentChecks);
    private readonly HttpClient _http;
    private int _started;
    private long _checksRun;

    public Elbv2HealthChecker(Elbv2Snapshots snapshots, IEc2Instances instances, SandboxClock clock, SandboxBackgroundWork background, ILogger<Elbv2HealthChecker> logger)
    {
        _snapshots = snapshots;
        _instances = instances;
        _clock = clock;
        _background = background;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _snapshots.Changed += Wake;
    }

    /// <summary>Health checks run so far (for tests and to see how busy the checker is).</summary>
    public long ChecksRun => Interlocked.Read(ref _checksRun);

    /// <summary>Starts the loop once (the sandbox's start hook calls it).</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _background.Run("elbv2 health checks", RunAsync);
        }
    }

    /// <summary>Wakes the loop early (configuration changed).</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another caller woke it first.
        }
    }

    /// <summary>The result of the checks so far, or null when the registration was never checked (or starts over).</summary>
    public TargetHealthSnapshot? Result(Elbv2TargetKey key)
    {
        if (!_records.TryGetValue(key, out var record))
        {
            return null;
        }

        lock (record)
        {
            return record.State == "initial" ? null : new TargetHealthSnapshot(record.State, record.Reason);
        }
    }

    /// <summary>The last failure's description (<c>Health checks failed with these codes: [404]</c>), or null.</summary>
    public string? Description(Elbv2TargetKey key)
    {
        if (!_records.TryGetValue(key, out var record))
        {
            return null;
        }

        lock (record)
        {
            return record.State == "unhealthy" ? record.Description : null;
        }
    }

    public bool IsHealthy(Elbv2TargetKey key) => _records.TryGetValue(key, out var record) && record.State == "healthy";

    /// <summary>Forgets one registration: its next checks start from <c>initial</c> (re-registration, instance restart).</summary>
    public void Forget(Elbv2TargetKey key) => _records.TryRemove(key, out _);

    public void ForgetInstance(string accountId, string instanceId)
    {
        foreach (var key in _records.Keys.Where(k => k.AccountId == accountId && k.TargetId == instanceId).ToList())
        {
            _records.TryRemove(key, out _);
        }
    }

    public void ForgetAccount(string accountId)
    {
        foreach (var key in _records.Keys.Where(k => k.AccountId == accountId).ToList())
        {
            _records.TryRemove(key, out _);
        }
    }

    public void Dispose()
    {
        _snapshots.Changed -= Wake;
        _http.Dispose();
        _wake.Dispose();
        _concurrency.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _clock.UtcNow;
            DateTimeOffset? nextWake = null;
            var live = new HashSet<Elbv2TargetKey>();
            foreach (var snapshot in _snapshots.All)
            {
                foreach (var group in snapshot.State.TargetGroups.Values)
                {
                    if (!snapshot.ActiveAt.TryGetValue(group.Arn, out var activeAt))
                    {
                        // Target.NotInUse: no load balancer sends checks (aws-behaviour.md 1.2).
                        continue;
                    }

                    foreach (var target in group.Targets)
                    {
                        if (target.DrainingUntil is not null)
                        {
                            continue;
                        }

                        var key = new Elbv2TargetKey(snapshot.AccountId, group.Arn, target.Id, target.Port);
                        live.Add(key);
                        if (now < activeAt)
                        {
                            // Elb.RegistrationInProgress until the load balancer is active.
                            nextWake = Earliest(nextWake, activeAt);
                            continue;
                        }

                        var record = _records.GetOrAdd(key, _ => new Record { NextDue = now });
                        lock (record)
                        {
                            if (record.InFlight)
                            {
                                continue;
                            }

                            if (record.NextDue > now)
                            {
                                nextWake = Earliest(nextWake, record.NextDue);
                                continue;
                            }

                            record.InFlight = true;
                            record.NextDue = now + Max(_clock.Scaled(TimeSpan.FromSeconds(group.HealthCheckIntervalSeconds)), MinInterval);
                            nextWake = Earliest(nextWake, record.NextDue);
                        }

                        var check = new Check(key, group.HealthCheckPortFor(target.Port), group.HealthCheckPath, group.Matcher,
                            Max(_clock.Scaled(TimeSpan.FromSeconds(group.HealthCheckTimeoutSeconds)), MinTimeout),
                            group.HealthyThresholdCount, group.UnhealthyThresholdCount);
                        _background.Run("elbv2 health check", ct => CheckAsync(check, record, ct));
                    }
                }
            }

            foreach (var key in _records.Keys)
            {
                if (!live.Contains(key))
                {
                    _records.TryRemove(key, out _);
                }
            }

            // Sleep until the next due check, or until a change wakes the loop; with nothing to
            // check it sleeps until woken (the long bound only guards against a lost wake-up).
            // The timer runs on the sandbox's TimeProvider, so a test clock drives the checks too.
            var delay = nextWake is null ? TimeSpan.FromSeconds(5) : Max(nextWake.Value - _clock.UtcNow, TimeSpan.FromMilliseconds(1));
            using var due = new CancellationTokenSource(delay, _clock.Time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(due.Token, cancellationToken);
            try
            {
                await _wake.WaitAsync(either.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The next check is due.
            }
        }
    }

    private async Task CheckAsync(Check check, Record record, CancellationToken cancellationToken)
    {
        await _concurrency.WaitAsync(cancellationToken);
        try
        {
            var outcome = await ProbeAsync(check, cancellationToken);
            Interlocked.Increment(ref _checksRun);
            if (outcome is null)
            {
                // The instance is not booted (stopped, stopping, pending): DescribeTargetHealth
                // reports it from the instance state; checks start over when it runs again.
                _records.TryRemove(check.Key, out _);
                return;
            }

            lock (record)
            {
                Apply(record, outcome.Value, check);
            }
        }
        finally
        {
            lock (record)
            {
                record.InFlight = false;
            }

            _concurrency.Release();

            // The loop skips registrations whose check is in flight; wake it so the next one is planned.
            Wake();
        }
    }

    private async Task<Outcome?> ProbeAsync(Check check, CancellationToken cancellationToken)
    {
        var machine = _instances.GetMachine(check.Key.AccountId, check.Key.TargetId);
        if (machine is null)
        {
            return null;
        }

        var endpoint = machine.GetHttpEndpoint(check.Port);
        if (endpoint is null)
        {
            // Nothing listens on the port: connection refused (aws-behaviour.md 1.2, Target.FailedHealthChecks).
            return Outcome.Failed("Target.FailedHealthChecks", "Health checks failed");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(check.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, check.Path));
            request.Headers.UserAgent.ParseAdd("ELB-HealthChecker/2.0");

            // "The load balancer node closes the connection after each check" (aws-behaviour.md 1.3).
            request.Headers.ConnectionClose = true;
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return Matches(check.Matcher, code)
                ? Outcome.Passed
                : Outcome.Failed("Target.ResponseCodeMismatch", $"Health checks failed with these codes: [{code.ToString(CultureInfo.InvariantCulture)}]");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Outcome.Failed("Target.Timeout", "Request timed out");
        }
        catch (HttpRequestException ex)
        {
            _logger.LogDebug(ex, "Health check of {Target} failed", check.Key.TargetId);
            return Outcome.Failed("Target.FailedHealthChecks", "Health checks failed");
        }
    }

    /// <summary>
    /// A new target is healthy after one passing check; healthy turns unhealthy after
    /// UnhealthyThresholdCount consecutive failures, and back after HealthyThresholdCount
    /// consecutive passes (aws-behaviour.md 1.3).
    /// </summary>
    private static void Apply(Record record, Outcome outcome, Check check)
    {
        if (outcome.Pass)
        {
            record.Successes++;
            record.Failures = 0;
            if (record.State == "initial" || (record.State == "unhealthy" && record.Successes >= check.HealthyThreshold))
            {
                record.State = "healthy";
                record.Reason = null;
                record.Description = null;
            }

            return;
        }

        record.Failures++;
        record.Successes = 0;
        if (record.State == "unhealthy" || record.Failures >= check.UnhealthyThreshold)
        {
            record.State = "unhealthy";
            record.Reason = outcome.Reason;
            record.Description = outcome.Description;
        }
    }

    /// <summary>Matcher HttpCode: single codes, comma lists and ranges (<c>200</c>, <c>200,202</c>, <c>200-299</c>).</summary>
    public static bool Matches(string matcher, int code)
    {
        foreach (var part in matcher.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var single) && single == code)
                {
                    return true;
                }
            }
            else if (int.TryParse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var low)
                && int.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var high)
                && code >= low && code <= high)
            {
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is null || candidate < current ? candidate : current.Value;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class Record
    {
        public string State { get; set; } = "initial";

        public string? Reason { get; set; }

        public string? Description { get; set; }

        public int Successes { get; set; }

        public int Failures { get; set; }

        public DateTimeOffset NextDue { get; set; }

        public bool InFlight { get; set; }
    }

    private sealed record Check(Elbv2TargetKey Key, int Port, string Path, string Matcher, TimeSpan Timeout, int HealthyThreshold, int UnhealthyThreshold);

    private readonly record struct Outcome(bool Pass, string? Reason, string? Description)
    {
        public static Outcome Passed => new(true, null, null);

        public static Outcome Failed(string reason, string description) => new(false, reason, description);
    }
}
