namespace LabPortal.Infrastructure.Data;

/// <summary>
/// The kinds of resource a ledger entry (<see cref="LedgerEntry.Kind"/>) can hold. Teardown, the
/// orphan sweeper, the verification scan and the instructor's live view each handle every kind
/// listed here (a test holds them to it), so a kind added here is a kind the portal can clean up.
/// </summary>
public static class ResourceKinds
{
    public const string AutoScalingGroup = "AutoScalingGroup";
    public const string Rule = "Rule";
    public const string Listener = "Listener";
    public const string LoadBalancer = "LoadBalancer";
    public const string TargetGroup = "TargetGroup";
    public const string Instance = "Instance";
    public const string LaunchTemplate = "LaunchTemplate";
    public const string SecurityGroup = "SecurityGroup";
    public const string RouteTable = "RouteTable";
    public const string InternetGateway = "InternetGateway";
    public const string Subnet = "Subnet";
    public const string Vpc = "Vpc";

    /// <summary>Every kind, in the order teardown deletes them: a kind goes only after every kind before it.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        AutoScalingGroup, Rule, Listener, LoadBalancer, TargetGroup, Instance, LaunchTemplate, SecurityGroup,
        // The network goes last: a route table before the gateway its routes name, the gateway
        // (detached) and the subnets before their VPC (DeleteVpc refuses while any of them remains).
        RouteTable, InternetGateway, Subnet, Vpc,
    ];

    /// <summary>Kinds the tag scan can see (listeners and rules carry no tags of their own).</summary>
    public static readonly IReadOnlySet<string> Tagged = new HashSet<string>(StringComparer.Ordinal)
    {
        Instance, SecurityGroup, LaunchTemplate, LoadBalancer, TargetGroup, AutoScalingGroup, Vpc, Subnet, InternetGateway, RouteTable,
    };
}
