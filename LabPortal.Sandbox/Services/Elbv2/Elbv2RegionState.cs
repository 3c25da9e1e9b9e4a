using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>An account's ELBv2 resources in one region, keyed by ARN (persisted as the <c>elbv2</c> state section).</summary>
public sealed class Elbv2RegionState : IRegionState
{
    public const string SectionName = "elbv2";

    public string Region { get; set; } = string.Empty;

    public Dictionary<string, Elbv2TargetGroup> TargetGroups { get; set; } = [];

    public Dictionary<string, Elbv2LoadBalancer> LoadBalancers { get; set; } = [];

    public Dictionary<string, Elbv2Listener> Listeners { get; set; } = [];

    public Dictionary<string, Elbv2Rule> Rules { get; set; } = [];

    public static Elbv2RegionState Create(string region) => new() { Region = region };

    public IEnumerable<SandboxResource> ListResources()
    {
        foreach (var loadBalancer in LoadBalancers.Values)
        {
            yield return new SandboxResource(SectionName, Region, "loadbalancer", loadBalancer.Arn);
        }

        foreach (var listener in Listeners.Values)
        {
            yield return new SandboxResource(SectionName, Region, "listener", listener.Arn);
        }

        foreach (var rule in Rules.Values)
        {
            yield return new SandboxResource(SectionName, Region, "listener-rule", rule.Arn);
        }

        foreach (var group in TargetGroups.Values)
        {
            yield return new SandboxResource(SectionName, Region, "targetgroup", group.Arn);
        }
    }

    /// <summary>The target groups a load balancer's listeners and rules forward to.</summary>
    public IEnumerable<string> TargetGroupsOf(string loadBalancerArn)
    {
        var listeners = Listeners.Values.Where(l => l.LoadBalancerArn == loadBalancerArn).ToList();
        var listenerArns = listeners.Select(l => l.Arn).ToHashSet(StringComparer.Ordinal);
        return listeners.SelectMany(l => l.DefaultActions)
            .Concat(Rules.Values.Where(r => listenerArns.Contains(r.ListenerArn)).SelectMany(r => r.Actions))
            .SelectMany(a => a.TargetGroups)
            .Select(t => t.TargetGroupArn)
            .Distinct(StringComparer.Ordinal);
    }

    /// <summary>The load balancers whose listeners or rules forward to the target group (the <c>LoadBalancerArns</c> of DescribeTargetGroups).</summary>
    public IReadOnlyList<string> LoadBalancersOf(string targetGroupArn) =>
        LoadBalancers.Keys.Where(lb => TargetGroupsOf(lb).Contains(targetGroupArn, StringComparer.Ordinal)).ToList();

    /// <summary>When the earliest load balancer that forwards to the target group is (or became) active; null when none uses it.</summary>
    public DateTimeOffset? TargetGroupActiveAt(string targetGroupArn)
    {
        DateTimeOffset? earliest = null;
        foreach (var loadBalancerArn in LoadBalancersOf(targetGroupArn))
        {
            var activeAt = LoadBalancers[loadBalancerArn].ActiveAt;
            if (earliest is null || activeAt < earliest)
            {
                earliest = activeAt;
            }
        }

        return earliest;
    }

    /// <summary>Removes draining targets whose deregistration delay has elapsed; true when any was removed.</summary>
    public bool PruneDrained(DateTimeOffset now)
    {
        var removed = false;
        foreach (var group in TargetGroups.Values)
        {
            removed |= group.Targets.RemoveAll(t => t.DrainingUntil is { } until && until <= now) > 0;
        }

        return removed;
    }
}
