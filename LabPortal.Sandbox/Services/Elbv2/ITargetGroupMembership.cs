using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>
/// What Auto Scaling needs from ELBv2: registering the group's instances in attached target
/// groups and reading their health for ELB health checks. Implemented by the ELBv2 service.
/// Every method works inside the caller's <see cref="AccountScope"/> (the account lock is not
/// re-entrant, and both services' state belongs to the same account).
/// </summary>
public interface ITargetGroupMembership
{
    /// <summary>True when <paramref name="targetGroupArn"/> exists in the scope's account and <paramref name="region"/>.</summary>
    bool Exists(AccountScope scope, string region, string targetGroupArn);

    /// <summary>Registers the instance on the target group's port, as RegisterTargets does (idempotent).</summary>
    void Register(AccountScope scope, string region, string targetGroupArn, string instanceId);

    /// <summary>Deregisters the instance, as DeregisterTargets does: it drains for the deregistration delay (idempotent).</summary>
    void Deregister(AccountScope scope, string region, string targetGroupArn, string instanceId);

    /// <summary>The instance's current health in the target group, or null when it is not registered there.</summary>
    TargetHealthSnapshot? Health(AccountScope scope, string region, string targetGroupArn, string instanceId);
}

/// <summary>A target's state (<c>initial</c>, <c>healthy</c>, <c>unhealthy</c>, <c>unused</c>, <c>draining</c>) and reason code, as DescribeTargetHealth reports them.</summary>
public sealed record TargetHealthSnapshot(string State, string? Reason);
