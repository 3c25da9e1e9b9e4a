namespace LabPortal.Sandbox.Accounts;

/// <summary>
/// What an account may launch and hold, as an AWS Organizations policy and service quotas would limit a
/// learner's account. Null members are unlimited. Enforced with AWS's codes: a type or region outside the
/// list is denied (<c>UnauthorizedOperation</c> on EC2, <c>AccessDenied</c> on ELBv2 and Auto Scaling,
/// <c>AccessDeniedException</c> on SSM), more instances than allowed <c>InstanceLimitExceeded</c>, more
/// load balancers <c>TooManyLoadBalancers</c>.
/// </summary>
public sealed record SandboxAccountQuotas
{
    public IReadOnlyList<string>? AllowedInstanceTypes { get; init; }

    /// <summary>The most instances not terminated, across every region.</summary>
    public int? MaxInstances { get; init; }

    /// <summary>The most load balancers, across every region.</summary>
    public int? MaxLoadBalancers { get; init; }

    public IReadOnlyList<string>? AllowedRegions { get; init; }
}
