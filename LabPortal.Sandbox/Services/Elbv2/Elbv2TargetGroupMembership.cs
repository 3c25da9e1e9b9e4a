using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>
/// Target registration and health, shared by the ELBv2 API and by Auto Scaling
/// (<see cref="ITargetGroupMembership"/>); also tells EC2 which security groups load balancers use.
/// Every method runs inside the caller's <see cref="AccountScope"/>.
/// </summary>
public sealed class Elbv2TargetGroupMembership : ITargetGroupMembership, ISecurityGroupReferences, INetworkReferences
{
    private readonly Elbv2Runtime _runtime;
    private readonly Elbv2HealthChecker _health;
    private readonly IEc2Instances _instances;
    private readonly SandboxClock _clock;

    public Elbv2TargetGroupMembership(Elbv2Runtime runtime, Elbv2HealthChecker health, IEc2Instances instances, SandboxClock clock)
    {
        _runtime = runtime;
        _health = health;
        _instances = instances;
        _clock = clock;
    }

    public bool Exists(AccountScope scope, string region, string targetGroupArn)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Find<Elbv2RegionState>(region)?.TargetGroups.ContainsKey(targetGroupArn) == true;
    }

    /// <remarks>
    /// Unlike the RegisterTargets API, a <c>pending</c> instance is accepted here: Auto Scaling
    /// registers the instances it launches, and their checks start once they run.
    /// </remarks>
    public void Register(AccountScope scope, string region, string targetGroupArn, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var state = scope.Write<Elbv2RegionState>(region);
        var group = FindGroup(state, targetGroupArn);
        RegisterTargets(scope, region, state, group, [(instanceId, null)], allowPending: true);
        _runtime.Publish(scope.AccountId, region, state);
    }

    public void Deregister(AccountScope scope, string region, string targetGroupArn, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var state = scope.Write<Elbv2RegionState>(region);
        var group = FindGroup(state, targetGroupArn);
        foreach (var target in group.Targets.Where(t => t.Id == instanceId && t.DrainingUntil is null).ToList())
        {
            Drain(group, target);
        }

        state.PruneDrained(_clock.UtcNow);
        _runtime.Publish(scope.AccountId, region, state);
    }

    public TargetHealthSnapshot? Health(AccountScope scope, string region, string targetGroupArn, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var state = scope.Find<Elbv2RegionState>(region);
        if (state is null || !state.TargetGroups.TryGetValue(targetGroupArn, out var group))
        {
            return null;
        }

        var now = _clock.UtcNow;
        var target = group.Targets
            .Where(t => t.Id == instanceId && (t.DrainingUntil is null || t.DrainingUntil > now))
            .OrderBy(t => t.DrainingUntil is null ? 0 : 1)
            .FirstOrDefault();
        if (target is null)
        {
            return null;
        }

        var (health, _) = Evaluate(scope, region, state, group, target);
        return health;
    }

    public bool IsInUse(AccountScope scope, string region, string groupId)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Find<Elbv2RegionState>(region)?.LoadBalancers.Values.Any(lb => lb.SecurityGroups.Contains(groupId, StringComparer.Ordinal)) == true;
    }

    /// <summary>A load balancer has a network interface in each of its subnets.</summary>
    public bool IsSubnetInUse(AccountScope scope, string region, string subnetId)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Find<Elbv2RegionState>(region)?.LoadBalancers.Values.Any(lb => lb.Zones.Any(z => z.SubnetId == subnetId)) == true;
    }

    /// <summary>An internet-facing load balancer holds public addresses in its VPC.</summary>
    public bool HasPublicAddresses(AccountScope scope, string region, string vpcId)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Find<Elbv2RegionState>(region)?.LoadBalancers.Values.Any(lb => lb.VpcId == vpcId && lb.Scheme == "internet-facing") == true;
    }

    /// <summary>True when the target's instance no longer exists or is shutting down or terminated.</summary>
    internal bool IsGone(AccountScope scope, string region, string instanceId) =>
        _instances.FindInstance(scope, region, instanceId)?.State is null or Ec2InstanceState.ShuttingDown or Ec2InstanceState.Terminated;

    internal static Elbv2TargetGroup FindGroup(Elbv2RegionState state, string targetGroupArn) =>
        state.TargetGroups.GetValueOrDefault(targetGroupArn)
        ?? throw new ApiException("TargetGroupNotFound", $"Target groups '{QueryParameters.Shorten(targetGroupArn)}' not found");

    /// <summary>RegisterTargets: every instance must exist, run and live in the target group's VPC (aws-behaviour.md 1.2).</summary>
    internal void RegisterTargets(AccountScope scope, string region, Elbv2RegionState state, Elbv2TargetGroup group, IReadOnlyList<(string Id, int? Port)> targets, bool allowPending = false)
    {
        var notRunning = new List<string>();
        foreach (var (id, _) in targets)
        {
            var instance = _instances.FindInstance(scope, region, id);
            if (instance is null)
            {
                throw new ApiException("InvalidTarget", $"The following targets are not valid instances: '{QueryParameters.Shorten(id)}'");
            }

            if (instance.VpcId != group.VpcId)
            {
                throw new ApiException("InvalidTarget", $"The following targets are not in the target group VPC '{group.VpcId}': '{id}'");
            }

            if (!(instance.State == Ec2InstanceState.Running || (allowPending && instance.State == Ec2InstanceState.Pending)))
            {
                notRunning.Add(id);
            }
        }

        if (notRunning.Count > 0)
        {
            throw new ApiException("InvalidTarget", $"The following targets are not in a running state and cannot be registered: {string.Join(", ", notRunning.Select(i => $"'{i}'"))}");
        }

        var now = _clock.UtcNow;
        foreach (var (id, port) in targets)
        {
            var targetPort = port ?? group.Port;
            var existing = group.Targets.FirstOrDefault(t => t.Id == id && t.Port == targetPort);
            if (existing is null)
            {
                group.Targets.Add(new Elbv2Target { Id = id, Port = targetPort, RegisteredAt = now });
                _health.Forget(new Elbv2TargetKey(scope.AccountId, group.Arn, id, targetPort));
            }
            else if (existing.DrainingUntil is not null)
            {
                // Registering a draining target again cancels its deregistration; checks start over.
                existing.DrainingUntil = null;
                existing.RegisteredAt = now;
                _health.Forget(new Elbv2TargetKey(scope.AccountId, group.Arn, id, targetPort));
            }
        }
    }

    /// <summary>Starts the deregistration delay; with a delay of 0 the target leaves at once (aws-behaviour.md 1.5).</summary>
    internal void Drain(Elbv2TargetGroup group, Elbv2Target target) =>
        target.DrainingUntil = _clock.UtcNow + _clock.Scaled(TimeSpan.FromSeconds(Elbv2Runtime.DeregistrationDelaySeconds(group)));

    /// <summary>A registration's health as DescribeTargetHealth reports it, with its description (aws-behaviour.md 1.1, 1.2).</summary>
    internal (TargetHealthSnapshot Health, string? Description) Evaluate(AccountScope scope, string region, Elbv2RegionState state, Elbv2TargetGroup group, Elbv2Target target)
    {
        var now = _clock.UtcNow;
        if (target.DrainingUntil is not null)
        {
            return (new TargetHealthSnapshot("draining", "Target.DeregistrationInProgress"), "Target deregistration is in progress");
        }

        var instance = _instances.FindInstance(scope, region, target.Id);
        switch (instance?.State)
        {
            case null:
            case Ec2InstanceState.Terminated:
            case Ec2InstanceState.ShuttingDown:
                // ELB deregisters a terminated instance: it drains from the moment it terminates, even
                // before the state-change event has started the delay here (verified against AWS, issue 19).
                return (new TargetHealthSnapshot("draining", "Target.DeregistrationInProgress"), "Target deregistration is in progress");
            case Ec2InstanceState.Stopped:
            case Ec2InstanceState.Stopping:
                return (new TargetHealthSnapshot("unused", "Target.InvalidState"), "Target is in the stopped state");
        }

        var activeAt = state.TargetGroupActiveAt(group.Arn);
        if (activeAt is null)
        {
            return (new TargetHealthSnapshot("unused", "Target.NotInUse"), "Target group is not configured to receive traffic from the load balancer");
        }

        if (now < activeAt || instance!.State == Ec2InstanceState.Pending)
        {
            return (new TargetHealthSnapshot("initial", "Elb.RegistrationInProgress"), "Target registration is in progress");
        }

        var key = new Elbv2TargetKey(scope.AccountId, group.Arn, target.Id, target.Port);
        var result = _health.Result(key);
        if (result is null)
        {
            return (new TargetHealthSnapshot("initial", "Elb.InitialHealthChecking"), "Initial health checks in progress");
        }

        return (result, _health.Description(key));
    }
}
