using LabPortal.Sandbox.Services.Elbv2;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>
/// Auto Scaling's side of ELBv2: registers a group's instances with its target groups, deregisters
/// them, and reads their target health; a target group deleted meanwhile is skipped, never an error.
/// </summary>
public sealed class AutoScalingTargetGroups
{
    private readonly ITargetGroupMembership? _membership;
    private readonly ILogger<AutoScalingTargetGroups> _logger;

    public AutoScalingTargetGroups(IServiceProvider services, ILogger<AutoScalingTargetGroups> logger)
    {
        _logger = logger;

        // ELBv2 lives on another branch until the merge: without it, target groups cannot be attached.
        _membership = services.GetService<ITargetGroupMembership>();
    }

    /// <summary>The ELBv2 side, or null when this sandbox has no ELBv2.</summary>
    public ITargetGroupMembership? Membership => _membership;

    /// <summary>Registers every in-service instance of the group with a newly attached target group.</summary>
    public void RegisterAll(AccountScope scope, string region, AsgGroup group, string targetGroupArn)
    {
        foreach (var instance in group.Instances.Where(i => i.LifecycleState == AsgLifecycle.InService))
        {
            Register(scope, region, targetGroupArn, instance.InstanceId);
        }
    }

    /// <summary>Deregisters every instance of the group from a detached target group.</summary>
    public void DeregisterAll(AccountScope scope, string region, AsgGroup group, string targetGroupArn)
    {
        foreach (var instance in group.Instances)
        {
            Deregister(scope, region, targetGroupArn, instance.InstanceId);
        }
    }

    public void Register(AccountScope scope, string region, string targetGroupArn, string instanceId) =>
        CallMembership(scope, region, targetGroupArn, instanceId, m => { m.Register(scope, region, targetGroupArn, instanceId); return true; });

    public void Deregister(AccountScope scope, string region, string targetGroupArn, string instanceId) =>
        CallMembership(scope, region, targetGroupArn, instanceId, m => { m.Deregister(scope, region, targetGroupArn, instanceId); return true; });

    public TargetHealthSnapshot? Health(AccountScope scope, string region, string targetGroupArn, string instanceId) =>
        CallMembership(scope, region, targetGroupArn, instanceId, m => m.Health(scope, region, targetGroupArn, instanceId));

    /// <summary>
    /// Calls ELBv2 unless the target group is gone: a learner may delete an attached target group,
    /// and one failed call must not stop the pass (which would leave the group half-updated).
    /// </summary>
    private T? CallMembership<T>(AccountScope scope, string region, string targetGroupArn, string instanceId, Func<ITargetGroupMembership, T> call)
    {
        try
        {
            return _membership is not null && _membership.Exists(scope, region, targetGroupArn) ? call(_membership) : default;
        }
        catch (ApiException ex)
        {
            _logger.LogWarning(ex, "ELBv2 call for {InstanceId} in {TargetGroup} failed", instanceId, targetGroupArn);
            return default;
        }
    }

    /// <summary>The attachments that are not being removed.</summary>
    public static IEnumerable<AsgTrafficSource> ActiveSources(AsgGroup group) =>
        group.TrafficSources.Where(s => s.State is not ("Removing" or "Removed"));
}
