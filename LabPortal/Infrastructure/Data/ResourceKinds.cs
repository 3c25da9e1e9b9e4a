namespace LabPortal.Infrastructure.Data;

/// <summary>
/// What the portal knows about the kinds a ledger entry can hold (<see cref="ResourceKind"/>). Teardown,
/// the orphan sweeper, the verification scan and the instructor's live view each handle every kind
/// listed here (a test holds them to it), so a kind added here is a kind the portal can clean up.
/// </summary>
public static class ResourceKinds
{
    /// <summary>Every kind, in the order teardown deletes them: a kind goes only after every kind before it.</summary>
    public static readonly IReadOnlyList<ResourceKind> All =
    [
        ResourceKind.AutoScalingGroup, ResourceKind.Rule, ResourceKind.Listener, ResourceKind.LoadBalancer, ResourceKind.TargetGroup,
        ResourceKind.Instance, ResourceKind.LaunchTemplate, ResourceKind.SecurityGroup,
        // The network goes last: a route table before the gateway its routes name, the gateway
        // (detached) and the subnets before their VPC (DeleteVpc refuses while any of them remains).
        ResourceKind.RouteTable, ResourceKind.InternetGateway, ResourceKind.Subnet, ResourceKind.Vpc,
    ];

    /// <summary>Kinds the tag scan can see (listeners and rules carry no tags of their own).</summary>
    public static readonly IReadOnlySet<ResourceKind> Tagged = new HashSet<ResourceKind>
    {
        ResourceKind.Instance, ResourceKind.SecurityGroup, ResourceKind.LaunchTemplate, ResourceKind.LoadBalancer, ResourceKind.TargetGroup,
        ResourceKind.AutoScalingGroup, ResourceKind.Vpc, ResourceKind.Subnet, ResourceKind.InternetGateway, ResourceKind.RouteTable,
    };

    /// <summary>
    /// The kind a form or a stored row names (exactly a member's name, as the ledger stores it); false
    /// for anything else, numbers included (Enum.TryParse would take "3").
    /// </summary>
    public static bool TryParse(string? name, out ResourceKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
