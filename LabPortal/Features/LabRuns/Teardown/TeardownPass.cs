using Amazon.EC2.Model;
using Amazon.Runtime;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Actions;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>
/// One pass of <see cref="RunTeardown"/>: deletes what the ledger says the run owns, in dependency order
/// (groups and wait, listeners and rules, load balancers and wait, target groups, instances and wait,
/// launch templates, security groups after revoking the rules that reference each other, then a VPC of
/// the run's own: route tables, internet gateways, subnets, the VPC), waiting where AWS needs time and retrying what it refuses for a while
/// (DependencyViolation, ResourceInUse). A wait longer than the execution's inline share ends the pass
/// with a continuation (<see cref="ContinueLaterException"/>); the next pass starts again from the
/// ledger. A resource already gone counts as deleted; nothing is reported deleted that was not.
/// </summary>
public static class TeardownPass
{
    /// <summary>Deletion order: a kind is deleted only after every kind before it.</summary>
    public static IReadOnlyList<string> Order => ResourceKinds.All;

    /// <summary>Error codes that mean the resource (or the part of it being removed) is already gone.</summary>
    public static readonly IReadOnlySet<string> GoneCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "InvalidGroup.NotFound", "InvalidInstanceID.NotFound", "InvalidLaunchTemplateName.NotFoundException", "InvalidLaunchTemplateId.NotFound",
        "LoadBalancerNotFound", "TargetGroupNotFound", "ListenerNotFound", "RuleNotFound",
        "InvalidVpcID.NotFound", "InvalidSubnetID.NotFound", "InvalidInternetGatewayID.NotFound", "InvalidRouteTableID.NotFound",
        // A route table's association or a gateway's attachment removed between the describe and the call.
        "InvalidAssociationID.NotFound", "Gateway.NotAttached",
    };

    private static readonly HashSet<string> NotYetCodes = ["DependencyViolation", "ResourceInUse", "ScalingActivityInProgress"];

    public static async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var live = await context.LiveLedgerAsync(cancellationToken);
        foreach (var kind in Order)
        {
            var entries = live.Where(e => e.Kind == kind).ToList();
            if (kind == ResourceKinds.Instance && entries.Count > 0)
            {
                await TerminateInstancesAsync(context, entries, cancellationToken);
                continue;
            }

            if (kind == ResourceKinds.SecurityGroup && entries.Count > 0)
            {
                // Two groups that name each other in their rules cannot be deleted in either order
                // (DependencyViolation until the rule goes), so the referencing rules go first.
                await RevokeCrossReferencesAsync(context, entries, cancellationToken);
            }

            foreach (var entry in entries)
            {
                await DeleteWithRetriesAsync(context, entry, cancellationToken);
            }

            switch (kind)
            {
                case ResourceKinds.AutoScalingGroup when entries.Count > 0:
                    // ForceDelete terminates the group's instances; the group is gone only after them,
                    // and until then its instances still hold the security groups and target groups.
                    await WaitForGroupsGoneAsync(context, entries, cancellationToken);
                    break;
                case ResourceKinds.LoadBalancer when entries.Count > 0:
                    // A deleted load balancer keeps its network interfaces (and so its security group) for a while.
                    await WaitForLoadBalancersGoneAsync(context, entries, cancellationToken);
                    break;
            }
        }
    }

    private static async Task DeleteWithRetriesAsync(LabActionContext context, LedgerEntry entry, CancellationToken cancellationToken)
    {
        if (entry.ResourceId is null)
        {
            // Intended but never created (the create call failed or never ran): nothing to delete.
            await context.MarkDeletedAsync(entry, cancellationToken);
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await DeleteAsync(context, entry, cancellationToken);
                break;
            }
            catch (AmazonServiceException e) when (GoneCodes.Contains(e.ErrorCode) || (e.ErrorCode == "ValidationError" && e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase)))
            {
                break;
            }
            catch (AmazonServiceException e) when (NotYetCodes.Contains(e.ErrorCode))
            {
                // The resource still has dependants that AWS is removing (e.g. an ALB's network interfaces).
                await CloudSteps.PollAgainAsync(context, TimeSpan.FromSeconds(Math.Min(10, 1 << Math.Min(attempt, 3))),
                    $"AWS still refuses to delete {entry.Kind} {entry.ResourceId}: {e.ErrorCode}.", $"AWS가 아직 {entry.Kind} {entry.ResourceId} 삭제를 거부합니다: {e.ErrorCode}.", cancellationToken);
            }
        }

        await context.MarkDeletedAsync(entry, cancellationToken);
    }

    private static async Task DeleteAsync(LabActionContext context, LedgerEntry entry, CancellationToken cancellationToken) =>
        await ResourceDeleter.DeleteAsync(context.Cloud, entry.Kind, entry.ResourceId!, context.Trace, cancellationToken);

    /// <summary>
    /// Revokes every rule of the run's groups that names another of the run's groups, inbound and
    /// outbound: a group named in another group's rule, either direction, cannot be deleted
    /// (DependencyViolation) until that rule goes.
    /// </summary>
    private static async Task RevokeCrossReferencesAsync(LabActionContext context, List<LedgerEntry> groups, CancellationToken cancellationToken)
    {
        var ids = groups.Where(g => g.ResourceId is not null).Select(g => g.ResourceId!).ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return;
        }

        foreach (var groupId in ids)
        {
            DescribeSecurityGroupsResponse described;
            try
            {
                described = await context.Cloud.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [groupId] }, cancellationToken);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "InvalidGroup.NotFound")
            {
                continue;
            }

            context.Trace(described.ResponseMetadata.RequestId);
            var found = described.SecurityGroups ?? [];
            var ingress = Referencing(found.SelectMany(g => g.IpPermissions ?? []), ids);
            var egress = Referencing(found.SelectMany(g => g.IpPermissionsEgress ?? []), ids);
            try
            {
                if (ingress.Count > 0)
                {
                    var revoked = await context.Cloud.Ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest { GroupId = groupId, IpPermissions = ingress }, cancellationToken);
                    context.Trace(revoked.ResponseMetadata.RequestId);
                }

                if (egress.Count > 0)
                {
                    var revoked = await context.Cloud.Ec2.RevokeSecurityGroupEgressAsync(new RevokeSecurityGroupEgressRequest { GroupId = groupId, IpPermissions = egress }, cancellationToken);
                    context.Trace(revoked.ResponseMetadata.RequestId);
                }
            }
            catch (AmazonServiceException e) when (e.ErrorCode is "InvalidGroup.NotFound" or "InvalidPermission.NotFound")
            {
                // Already gone: the rule or the group went between the describe and the revoke.
            }
        }
    }

    /// <summary>The parts of <paramref name="permissions"/> that name one of <paramref name="groupIds"/>, as a revoke takes them.</summary>
    private static List<IpPermission> Referencing(IEnumerable<IpPermission> permissions, HashSet<string> groupIds) =>
    [
        .. permissions
            .Where(p => (p.UserIdGroupPairs ?? []).Any(pair => pair.GroupId is { } other && groupIds.Contains(other)))
            .Select(p => new IpPermission
            {
                IpProtocol = p.IpProtocol,
                FromPort = p.FromPort,
                ToPort = p.ToPort,
                UserIdGroupPairs = [.. p.UserIdGroupPairs!.Where(pair => pair.GroupId is { } other && groupIds.Contains(other))],
            }),
    ];

    private static async Task WaitForGroupsGoneAsync(LabActionContext context, List<LedgerEntry> groups, CancellationToken cancellationToken)
    {
        var names = groups.Where(g => g.ResourceId is not null).Select(g => g.ResourceId!).ToList();
        if (names.Count == 0)
        {
            return;
        }

        await CloudSteps.WaitUntilAsync(context, async () =>
        {
            var described = await context.Cloud.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = names }, cancellationToken);
            return (described.AutoScalingGroups ?? []).Count == 0;
        }, "The Auto Scaling group is still being deleted; teardown will retry.", "Auto Scaling 그룹이 아직 삭제 중입니다. 정리 작업을 다시 시도합니다.", cancellationToken);
    }

    private static async Task WaitForLoadBalancersGoneAsync(LabActionContext context, List<LedgerEntry> balancers, CancellationToken cancellationToken)
    {
        var arns = balancers.Where(b => b.ResourceId is not null).Select(b => b.ResourceId!).ToList();
        if (arns.Count == 0)
        {
            return;
        }

        await CloudSteps.WaitUntilAsync(context, async () =>
        {
            try
            {
                var described = await context.Cloud.Elbv2.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest { LoadBalancerArns = arns }, cancellationToken);
                return (described.LoadBalancers ?? []).Count == 0;
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "LoadBalancerNotFound")
            {
                return true;
            }
        }, "The load balancer is still being deleted; teardown will retry.", "로드 밸런서가 아직 삭제 중입니다. 정리 작업을 다시 시도합니다.", cancellationToken);
    }

    /// <summary>Terminates the run's instances together and waits until AWS reports them terminated.</summary>
    private static async Task TerminateInstancesAsync(LabActionContext context, List<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var ids = entries.Where(e => e.ResourceId is not null).Select(e => e.ResourceId!).ToList();
        if (ids.Count > 0)
        {
            try
            {
                var response = await context.Cloud.Ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ids }, cancellationToken);
                context.Trace(response.ResponseMetadata.RequestId);
                await CloudSteps.WaitUntilAsync(context, async () =>
                {
                    var described = await context.Cloud.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ids }, cancellationToken);
                    return (described.Reservations ?? []).SelectMany(r => r.Instances ?? []).All(i => i.State?.Name == "terminated");
                }, "The instances did not terminate in time; teardown will retry.", "인스턴스가 제시간에 종료되지 않았습니다. 정리 작업을 다시 시도합니다.", cancellationToken);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "InvalidInstanceID.NotFound")
            {
                // Already gone (terminated instances disappear from AWS after about an hour).
            }
        }

        foreach (var entry in entries)
        {
            await context.MarkDeletedAsync(entry, cancellationToken);
        }
    }
}
