using Amazon.Runtime;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.Instructors;

/// <summary>
/// Describes each resource of a run's ledger in the learner's cloud, read-only, with the run's own
/// clients (<see cref="LearnerCloud"/>), and marks where the two disagree. Every entry with an id is
/// asked about, deleted ones too: a resource the ledger calls deleted but the cloud still has is the
/// leftover an instructor most needs to see.
/// </summary>
public sealed class LiveStateReader(PortalDbContext db, LearnerCloud cloud)
{
    /// <summary>Live states the lab expects of a resource it created; anything else is marked as differing.</summary>
    private static readonly Dictionary<ResourceKind, string[]> ExpectedStates = new()
    {
        [ResourceKind.Instance] = ["pending", "running"],
        [ResourceKind.LoadBalancer] = ["provisioning", "active"],
        [ResourceKind.AutoScalingGroup] = ["in service"],
        [ResourceKind.Vpc] = ["available", "pending"],
        [ResourceKind.Subnet] = ["available", "pending"],
        [ResourceKind.InternetGateway] = ["available", "attached"],
    };

    public async Task<(IReadOnlyList<LedgerComparison> Ledger, string? Problem)> CompareAsync(LabRun run, IReadOnlyList<LedgerEntry> ledger, CancellationToken cancellationToken = default)
    {
        var toAsk = ledger.Where(e => e.ResourceId is not null).ToList();
        if (toAsk.Count == 0)
        {
            return ([.. ledger.Select(e => new LedgerComparison(e, null, Drift.NotChecked))], null);
        }

        if (await UnreachableBecauseAsync(run, cancellationToken) is { } reason)
        {
            return ([.. ledger.Select(e => new LedgerComparison(e, null, Drift.NotChecked))], reason);
        }

        var live = new Dictionary<int, string?>();
        string? problem = null;
        try
        {
            foreach (var region in toAsk.GroupBy(e => e.Region))
            {
                var clients = await cloud.ClientsForAsync(run, region.Key, cancellationToken);
                foreach (var entry in region)
                {
                    if (await DescribeAsync(clients, entry, cancellationToken) is { } state)
                    {
                        live[entry.Id] = state.Exists ? state.State : null;
                    }
                }
            }
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or TaskCanceledException)
        {
            problem = L.T("The cloud could not be read: ", "클라우드를 읽지 못했습니다: ") + e.Message;
        }

        return ([.. ledger.Select(e => Compare(e, live))], problem);
    }

    /// <summary>Drift of one entry, given the live states found (a missing key means not asked).</summary>
    public static LedgerComparison Compare(LedgerEntry entry, IReadOnlyDictionary<int, string?> live)
    {
        if (entry.ResourceId is null || !live.TryGetValue(entry.Id, out var state))
        {
            return new LedgerComparison(entry, null, Drift.NotChecked);
        }

        var exists = state is not null;
        var drift = (entry.State, exists) switch
        {
            (LedgerState.Deleted, true) => Drift.StillInCloud,
            (LedgerState.Deleted, false) => Drift.None,
            (_, false) => Drift.GoneFromCloud,
            _ when ExpectedStates.TryGetValue(entry.Kind, out var expected) && !expected.Contains(state, StringComparer.OrdinalIgnoreCase) => Drift.StateDiffers,
            _ => Drift.None,
        };
        return new LedgerComparison(entry, state, drift);
    }

    /// <summary>Why the run's cloud cannot be asked without side effects, or null when it can.</summary>
    private async Task<string?> UnreachableBecauseAsync(LabRun run, CancellationToken cancellationToken)
    {
        if (cloud.Mode != CloudMode.Sandbox)
        {
            return null;
        }

        // Asking for clients would create a sandbox account for a run without a live one: never from a read-only page.
        var hasAccount = run.CloudAccountId is { } id && await db.CloudAccounts.AnyAsync(a => a.Id == id && a.DeletedAtUtc == null, cancellationToken);
        return hasAccount
            ? null
            : L.T("The learner's sandbox account no longer exists (a reset removes it): there is no live state to compare.",
                  "학생의 샌드박스 계정이 더 이상 없습니다(초기화하면 삭제됩니다). 비교할 실제 상태가 없습니다.");
    }

    /// <summary>
    /// The resource's live state: (true, state) when found, (false, null) when the cloud has none,
    /// null for a kind the portal cannot describe. A terminated instance counts as gone: AWS only
    /// keeps showing it for about an hour.
    /// </summary>
    private static async Task<(bool Exists, string? State)?> DescribeAsync(AwsClients clients, LedgerEntry entry, CancellationToken cancellationToken)
    {
        var id = entry.ResourceId!;
        try
        {
            switch (entry.Kind)
            {
                case ResourceKind.Instance:
                    var instances = await clients.Ec2.DescribeInstancesAsync(new Amazon.EC2.Model.DescribeInstancesRequest { Filters = [new Amazon.EC2.Model.Filter { Name = "instance-id", Values = [id] }] }, cancellationToken);
                    var instance = (instances.Reservations ?? []).SelectMany(r => r.Instances ?? []).FirstOrDefault();
                    var instanceState = instance?.State?.Name;
                    return instance is null || instanceState == "terminated" ? (false, null) : (true, instanceState);
                case ResourceKind.SecurityGroup:
                    var groups = await clients.Ec2.DescribeSecurityGroupsAsync(new Amazon.EC2.Model.DescribeSecurityGroupsRequest { Filters = [new Amazon.EC2.Model.Filter { Name = "group-id", Values = [id] }] }, cancellationToken);
                    return groups.SecurityGroups is { Count: > 0 } ? (true, "exists") : (false, null);
                case ResourceKind.LaunchTemplate:
                    var templates = await clients.Ec2.DescribeLaunchTemplatesAsync(new Amazon.EC2.Model.DescribeLaunchTemplatesRequest { LaunchTemplateIds = [id] }, cancellationToken);
                    return templates.LaunchTemplates is { Count: > 0 } ? (true, "exists") : (false, null);
                case ResourceKind.LoadBalancer:
                    var balancers = await clients.Elbv2.DescribeLoadBalancersAsync(new Aws.Elbv2.DescribeLoadBalancersRequest { LoadBalancerArns = [id] }, cancellationToken);
                    return balancers.LoadBalancers is { Count: > 0 } found ? (true, found[0].State?.Code ?? "exists") : (false, null);
                case ResourceKind.TargetGroup:
                    var targetGroups = await clients.Elbv2.DescribeTargetGroupsAsync(new Aws.Elbv2.DescribeTargetGroupsRequest { TargetGroupArns = [id] }, cancellationToken);
                    return targetGroups.TargetGroups is { Count: > 0 } ? (true, "exists") : (false, null);
                case ResourceKind.Listener:
                    var listeners = await clients.Elbv2.DescribeListenersAsync(new Aws.Elbv2.DescribeListenersRequest { ListenerArns = [id] }, cancellationToken);
                    return listeners.Listeners is { Count: > 0 } ? (true, "exists") : (false, null);
                case ResourceKind.Rule:
                    var rules = await clients.Elbv2.DescribeRulesAsync(new Aws.Elbv2.DescribeRulesRequest { RuleArns = [id] }, cancellationToken);
                    return rules.Rules is { Count: > 0 } ? (true, "exists") : (false, null);
                case ResourceKind.AutoScalingGroup:
                    var asgs = await clients.AutoScaling.DescribeAutoScalingGroupsAsync(new Aws.AutoScaling.DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [id] }, cancellationToken);
                    // A group's Status is empty while in service and "Delete in progress" while being deleted.
                    return asgs.AutoScalingGroups is { Count: > 0 } asg ? (true, asg[0].Status is { Length: > 0 } status ? status : "in service") : (false, null);
                case ResourceKind.Vpc:
                    var vpcs = await clients.Ec2.DescribeVpcsAsync(new Amazon.EC2.Model.DescribeVpcsRequest { Filters = [new Amazon.EC2.Model.Filter { Name = "vpc-id", Values = [id] }] }, cancellationToken);
                    return vpcs.Vpcs is { Count: > 0 } vpc ? (true, vpc[0].State?.Value ?? "exists") : (false, null);
                case ResourceKind.Subnet:
                    var subnets = await clients.Ec2.DescribeSubnetsAsync(new Amazon.EC2.Model.DescribeSubnetsRequest { Filters = [new Amazon.EC2.Model.Filter { Name = "subnet-id", Values = [id] }] }, cancellationToken);
                    return subnets.Subnets is { Count: > 0 } subnet ? (true, subnet[0].State?.Value ?? "exists") : (false, null);
                case ResourceKind.InternetGateway:
                    var gateways = await clients.Ec2.DescribeInternetGatewaysAsync(new Amazon.EC2.Model.DescribeInternetGatewaysRequest { Filters = [new Amazon.EC2.Model.Filter { Name = "internet-gateway-id", Values = [id] }] }, cancellationToken);
                    // A gateway's state is its attachment's: "available" when attached, "detached" when not.
                    return gateways.InternetGateways is { Count: > 0 } gateway
                        ? (true, gateway[0].Attachments is { Count: > 0 } attachments ? attachments[0].State?.Value ?? "attached" : "detached")
                        : (false, null);
                case ResourceKind.RouteTable:
                    var tables = await clients.Ec2.DescribeRouteTablesAsync(new Amazon.EC2.Model.DescribeRouteTablesRequest { Filters = [new Amazon.EC2.Model.Filter { Name = "route-table-id", Values = [id] }] }, cancellationToken);
                    return tables.RouteTables is { Count: > 0 } ? (true, "exists") : (false, null);
                default:
                    return null;
            }
        }
        catch (AmazonServiceException e) when (e.ErrorCode is "LoadBalancerNotFound" or "TargetGroupNotFound" or "ListenerNotFound" or "RuleNotFound"
            or "InvalidLaunchTemplateId.NotFound" or "InvalidLaunchTemplateId.Malformed" or "InvalidLaunchTemplateName.NotFoundException"
            or "InvalidGroup.NotFound" or "InvalidInstanceID.NotFound"
            or "InvalidVpcID.NotFound" or "InvalidSubnetID.NotFound" or "InvalidInternetGatewayID.NotFound" or "InvalidRouteTableID.NotFound")
        {
            return (false, null);
        }
    }
}
