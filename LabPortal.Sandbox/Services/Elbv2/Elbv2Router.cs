using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.DataPlane;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.Wire;
using Microsoft.AspNetCore.Http;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>
/// The load balancers' data plane: a request that reaches the data-plane port with
/// <c>Host: &lt;lb dns name&gt;</c> is matched against the listener's rules by priority, then the
/// default action; forward actions pick a target group by weight and a target by round robin (or
/// least outstanding requests) among healthy targets, failing open to every registered target when
/// none is healthy (aws-behaviour.md 1.4, 1.5). Answers it generates itself look like ALB's.
/// </summary>
public sealed class Elbv2Router
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _roundRobin = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Elbv2TargetKey, StrongBox<int>> _outstanding = new();
    private readonly Elbv2Snapshots _snapshots;
    private readonly Elbv2HealthChecker _health;
    private readonly IEc2Instances _instances;
    private readonly HttpForwarder _forwarder;
    private readonly SandboxClock _clock;

    public Elbv2Router(Elbv2Snapshots snapshots, Elbv2HealthChecker health, IEc2Instances instances, HttpForwarder forwarder, SandboxClock clock)
    {
        _snapshots = snapshots;
        _health = health;
        _instances = instances;
        _forwarder = forwarder;
        _clock = clock;
    }

    /// <summary>Handles one request for the load balancer <paramref name="loadBalancerArn"/>.</summary>
    public async Task HandleAsync(string accountId, string region, string loadBalancerArn, HttpContext context)
    {
        var snapshot = _snapshots.Find(accountId, region);
        if (snapshot is null || !snapshot.State.LoadBalancers.TryGetValue(loadBalancerArn, out var loadBalancer))
        {
            await WriteErrorAsync(context.Response, StatusCodes.Status503ServiceUnavailable);
            return;
        }

        // A provisioning load balancer has no nodes yet (its DNS name does not even resolve in AWS).
        // The front has already accepted the connection, so it answers 503 until the LB is active.
        if (!loadBalancer.IsActive(_clock.UtcNow))
        {
            await WriteErrorAsync(context.Response, StatusCodes.Status503ServiceUnavailable);
            return;
        }

        var listener = ChooseListener(snapshot, loadBalancer, context.Request.Host.Port);
        if (listener is null)
        {
            // No listener: AWS refuses the connection; here the front already accepted it.
            await WriteErrorAsync(context.Response, StatusCodes.Status503ServiceUnavailable);
            return;
        }

        var actions = listener.DefaultActions;
        if (snapshot.RulesByListener.TryGetValue(listener.Arn, out var rules))
        {
            foreach (var rule in rules)
            {
                if (Matches(rule, context.Request))
                {
                    actions = rule.Actions;
                    break;
                }
            }
        }

        var action = actions.OrderBy(a => a.Order ?? int.MaxValue).LastOrDefault();
        if (action is null)
        {
            await WriteErrorAsync(context.Response, StatusCodes.Status503ServiceUnavailable);
            return;
        }

        if (action.Type == "fixed-response")
        {
            await WriteFixedResponseAsync(context.Response, action);
            return;
        }

        await ForwardAsync(context, snapshot, loadBalancer, listener, action);
    }

    /// <summary>
    /// The one data-plane port stands for every listener (ARCHITECTURE.md): the listener on the Host
    /// header's port if there is one, else port 80's, else the lowest port's.
    /// </summary>
    private static Elbv2Listener? ChooseListener(Elbv2Snapshot snapshot, Elbv2LoadBalancer loadBalancer, int? hostPort)
    {
        var listeners = snapshot.State.Listeners.Values.Where(l => l.LoadBalancerArn == loadBalancer.Arn).OrderBy(l => l.Port).ToList();
        return listeners.FirstOrDefault(l => l.Port == hostPort)
            ?? listeners.FirstOrDefault(l => l.Port == 80)
            ?? listeners.FirstOrDefault();
    }

    /// <summary>All conditions must match; within a condition any value may (ALB "Listener rules").</summary>
    public static bool Matches(Elbv2Rule rule, HttpRequest request)
    {
        foreach (var condition in rule.Conditions)
        {
            var matched = condition.Field switch
            {
                // Path patterns are case sensitive; host headers are not (ALB user guide, "Rule condition types").
                "path-pattern" => condition.Values.Any(v => WildcardMatch(v, request.Path.HasValue ? request.Path.Value! : "/", ignoreCase: false)),
                "host-header" => condition.Values.Any(v => WildcardMatch(v, request.Host.Host, ignoreCase: true)),
                _ => false,
            };
            if (!matched)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>*</c> matches any run of characters, <c>?</c> exactly one.</summary>
    public static bool WildcardMatch(string pattern, string value, bool ignoreCase)
    {
        if (ignoreCase)
        {
            pattern = pattern.ToLowerInvariant();
            value = value.ToLowerInvariant();
        }

        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == value[v]))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private async Task ForwardAsync(HttpContext context, Elbv2Snapshot snapshot, Elbv2LoadBalancer loadBalancer, Elbv2Listener listener, Elbv2Action action)
    {
        var group = ChooseTargetGroup(snapshot, action);
        var targets = group?.Targets.Where(t => t.DrainingUntil is null).ToList() ?? [];
        if (group is null || targets.Count == 0)
        {
            // "The target groups for the load balancer have no registered targets" (aws-behaviour.md 1.4).
            await WriteErrorAsync(context.Response, StatusCodes.Status503ServiceUnavailable);
            return;
        }

        var keys = targets.Select(t => new Elbv2TargetKey(snapshot.AccountId, group.Arn, t.Id, t.Port)).ToList();
        var healthy = keys.Where(_health.IsHealthy).ToList();

        // Fail open: with no healthy target the load balancer routes to all of them (aws-behaviour.md 1.4).
        var pool = healthy.Count > 0 ? healthy : keys;
        var chosen = group.Attributes.GetValueOrDefault(Elbv2Attributes.Algorithm) == "least_outstanding_requests"
            ? LeastOutstanding(group.Arn, pool)
            : pool[NextIndex(group.Arn, pool.Count)];

        var outstanding = _outstanding.GetOrAdd(chosen, _ => new StrongBox<int>());

        // The instance answers inside the process when it can (IMachine.TryServeAsync): same handler
        // as its listener, without a loopback HTTP hop. Otherwise, over the socket below.
        if (_instances.GetMachine(chosen.AccountId, chosen.TargetId) is { } machine)
        {
            Interlocked.Increment(ref outstanding.Value);
            try
            {
                if (await machine.TryServeAsync(chosen.Port, context))
                {
                    return;
                }
            }
            finally
            {
                Interlocked.Decrement(ref outstanding.Value);
            }
        }

        var endpoint = _instances.GetHttpEndpoint(chosen.AccountId, chosen.TargetId, chosen.Port);
        if (endpoint is null)
        {
            // Nothing listens on the target's port: the connection is refused, ALB answers 502.
            await WriteErrorAsync(context.Response, StatusCodes.Status502BadGateway);
            return;
        }

        var idle = int.Parse(loadBalancer.Attributes.GetValueOrDefault(Elbv2Attributes.IdleTimeout, "60"), CultureInfo.InvariantCulture);
        var timeout = _clock.Scaled(TimeSpan.FromSeconds(idle));
        if (timeout < Elbv2HealthChecker.MinTimeout)
        {
            timeout = Elbv2HealthChecker.MinTimeout;
        }

        Interlocked.Increment(ref outstanding.Value);
        try
        {
            await _forwarder.ForwardAsync(context, endpoint, timeout, ForwardedHeaders(context, listener), WriteErrorAsync);
        }
        finally
        {
            Interlocked.Decrement(ref outstanding.Value);
        }
    }

    private static Elbv2TargetGroup? ChooseTargetGroup(Elbv2Snapshot snapshot, Elbv2Action action)
    {
        var weighted = action.TargetGroups
            .Where(t => t.Weight > 0 && snapshot.State.TargetGroups.ContainsKey(t.TargetGroupArn))
            .ToList();
        if (weighted.Count == 0)
        {
            return null;
        }

        if (weighted.Count == 1)
        {
            return snapshot.State.TargetGroups[weighted[0].TargetGroupArn];
        }

        // Weighted target groups: each request picks a group in proportion to its weight.
        var roll = Random.Shared.Next(weighted.Sum(t => t.Weight));
        foreach (var tuple in weighted)
        {
            roll -= tuple.Weight;
            if (roll < 0)
            {
                return snapshot.State.TargetGroups[tuple.TargetGroupArn];
            }
        }

        return snapshot.State.TargetGroups[weighted[^1].TargetGroupArn];
    }

    private int NextIndex(string targetGroupArn, int count)
    {
        var counter = _roundRobin.GetOrAdd(targetGroupArn, _ => new StrongBox<long>(-1));
        var next = Interlocked.Increment(ref counter.Value);
        return (int)(next % count);
    }

    private Elbv2TargetKey LeastOutstanding(string targetGroupArn, List<Elbv2TargetKey> pool)
    {
        // Ties go round robin, so an idle group still spreads requests.
        var start = NextIndex(targetGroupArn, pool.Count);
        var best = pool[start];
        var bestCount = _outstanding.TryGetValue(best, out var box) ? Volatile.Read(ref box.Value) : 0;
        for (var i = 1; i < pool.Count; i++)
        {
            var candidate = pool[(start + i) % pool.Count];
            var count = _outstanding.TryGetValue(candidate, out var candidateBox) ? Volatile.Read(ref candidateBox.Value) : 0;
            if (count < bestCount)
            {
                best = candidate;
                bestCount = count;
            }
        }

        return best;
    }

    /// <summary>X-Forwarded-For (append mode), -Proto, -Port and X-Amzn-Trace-Id, as ALB adds them.</summary>
    private static Dictionary<string, string> ForwardedHeaders(HttpContext context, Elbv2Listener listener)
    {
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
        var existing = context.Request.Headers["X-Forwarded-For"].ToString();
        var trace = context.Request.Headers["X-Amzn-Trace-Id"].ToString();
        if (string.IsNullOrEmpty(trace))
        {
            // Root=1-<epoch seconds, 8 hex>-<96 random bits, 24 hex> (ELB user guide, "Request tracing").
            var epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
            trace = $"Root=1-{epoch}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        }

        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-Forwarded-For"] = string.IsNullOrEmpty(existing) ? client : existing + ", " + client,
            ["X-Forwarded-Proto"] = "http",
            ["X-Forwarded-Port"] = listener.Port.ToString(CultureInfo.InvariantCulture),
            ["X-Amzn-Trace-Id"] = trace,
        };
    }

    private static async Task WriteFixedResponseAsync(HttpResponse response, Elbv2Action action)
    {
        // CreateListener/CreateRule accept only ASCII 2XX-5XX codes now; a code stored before that check
        // (non-ASCII digits) answers as a misconfigured listener would on AWS (502) instead of throwing per request.
        response.StatusCode = AsciiNumber.TryParseInt32(action.FixedStatusCode ?? "200", out var code) && code is >= 200 and <= 599
            ? code
            : StatusCodes.Status502BadGateway;
        response.Headers.Server = "awselb/2.0";
        response.ContentType = action.FixedContentType ?? "text/plain";
        var body = Encoding.UTF8.GetBytes(action.FixedMessageBody ?? string.Empty);
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    /// <summary>An answer the load balancer generates itself, shaped like ALB's (<c>Server: awselb/2.0</c>, small HTML page).</summary>
    public static async Task WriteErrorAsync(HttpResponse response, int statusCode)
    {
        if (response.HasStarted)
        {
            return;
        }

        var title = statusCode switch
        {
            StatusCodes.Status502BadGateway => "502 Bad Gateway",
            StatusCodes.Status503ServiceUnavailable => "503 Service Temporarily Unavailable",
            StatusCodes.Status504GatewayTimeout => "504 Gateway Time-out",
            _ => statusCode.ToString(CultureInfo.InvariantCulture),
        };
        var body = Encoding.UTF8.GetBytes($"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n</body>\r\n</html>\r\n");
        response.Clear();
        response.StatusCode = statusCode;
        response.Headers.Server = "awselb/2.0";
        response.ContentType = "text/html";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }
}
