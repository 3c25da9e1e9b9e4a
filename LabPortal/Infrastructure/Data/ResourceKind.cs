namespace LabPortal.Infrastructure.Data;

/// <summary>
/// The kind of resource a ledger entry (<see cref="LedgerEntry.Kind"/>) holds. The database stores
/// the member's name (<c>Ledger.Kind</c> is text), so a name here never changes: existing rows hold
/// it. Declared in the order teardown deletes them (<see cref="ResourceKinds.All"/>).
/// </summary>
public enum ResourceKind
{
    AutoScalingGroup,
    Rule,
    Listener,
    LoadBalancer,
    TargetGroup,
    Instance,
    LaunchTemplate,
    SecurityGroup,
    RouteTable,
    InternetGateway,
    Subnet,
    Vpc,
}
