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
/// ledger. A resource already gone counts as deleted; nothing is reported deleted that was not. One
/// resource AWS will not delete does not stop the pass: it is reported (<see cref="TeardownReport"/>)
/// and everything else is still tried in order.
/// </summary>
public static class TeardownPass
{
    /// <summary>Deletion order: a kind is deleted only after every kind before it.</summary>
    public static IReadOnlyList<ResourceKind> Order => ResourceKinds.All;

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

    /// <summary>
    /// Deletes what the ledger says the run owns. A failure of one resource (AWS refused it, or still
    /// refused it at the teardown's deadline) is recorded in <paramref name="report"/> and the pass goes
    /// on with the rest in dependency order (issue 13, What to build 3). A resource that is no longer
    /// the run's (it does not carry the run's tag) is never deleted: its entry is released and
    /// <paramref name="released"/> is told, so it can be audited.
    /// </summary>
    public static async Task RunAsync(LabActionContext context, TeardownReport report, Func<LedgerEntry, string, Task> released, CancellationToken cancellationToken)
    {
        var live = await context.LiveLedgerAsync(cancellationToken);
        foreach (var kind in Order)
        {
            var entries = new List<LedgerEntry>();
            foreach (var entry in live.Where(e => e.Kind == kind))
            {
                if (await KeepOwnedAsync(context, entry, released, report, cancellationToken))
                {
                    entries.Add(entry);
                }
            }

            if (kind == ResourceKind.Instance && entries.Count > 0)
            {
                await TerminateInstancesAsync(context, entries, report, cancellationToken);
                continue;
            }

            if (kind == ResourceKind.SecurityGroup && entries.Count > 0)
            {
                // Two groups that name each other in their rules cannot be deleted in either order
                // (DependencyViolation until the rule goes), so the referencing rules go first.
                await RevokeCrossReferencesAsync(context, entries, cancellationToken);
            }

            var deleted = new List<LedgerEntry>();
            foreach (var entry in entries)
            {
                if (await DeleteWithRetriesAsync(context, entry, report, cancellationToken))
                {
                    deleted.Add(entry);
                }
            }

            try
            {
                switch (kind)
                {
                    case ResourceKind.AutoScalingGroup when deleted.Count > 0:
                        // ForceDelete terminates the group's instances; the group is gone only after them,
                        // and until then its instances still hold the security groups and target groups.
                        await WaitForGroupsGoneAsync(context, deleted, cancellationToken);
                        break;
                    case ResourceKind.LoadBalancer when deleted.Count > 0:
                        // A deleted load balancer keeps its network interfaces (and so its security group) for a while.
                        await WaitForLoadBalancersGoneAsync(context, deleted, cancellationToken);
                        break;
                }
            }
            catch (LabStepException e) when (e.Code == "WaitTimedOut")
            {
                // Past the teardown's deadline: said once, and the later kinds are still tried (they may fail on it in turn).
                report.Add(kind, string.Join(", ", deleted.Select(d => d.ResourceId)), e.Code, e.English, e.Korean);
            }
        }
    }

    /// <summary>
    /// Whether the entry's resource is still the run's to delete. Gone: the entry is closed. Present
    /// without the run's <c>lab-portal:run</c> tag (the ledger claimed something the run never made, as
    /// a find-by-name once did with the VPC's default group): the entry is released and nothing is
    /// done to the resource. Listeners and rules carry no tags; they live on the run's load balancer.
    /// </summary>
    private static async Task<bool> KeepOwnedAsync(LabActionContext context, LedgerEntry entry, Func<LedgerEntry, string, Task> released, TeardownReport report, CancellationToken cancellationToken)
    {
        if (entry.ResourceId is null || !ResourceKinds.Tagged.Contains(entry.Kind))
        {
            return true;
        }

        IReadOnlyList<(string? Key, string? Value)>? tags;
        try
        {
            tags = await ResourceTags.ReadAsync(context.Cloud, entry.Kind, entry.ResourceId, cancellationToken);
        }
        catch (AmazonServiceException e) when (GoneCodes.Contains(e.ErrorCode))
        {
            tags = null;
        }
        catch (AmazonServiceException e)
        {
            report.Add(entry.Kind, entry.ResourceId, e.ErrorCode, e.Message, e.Message);
            return false;
        }

        if (tags is null)
        {
            await context.MarkDeletedAsync(entry, cancellationToken);
            return false;
        }

        if (context.IsRunTagged(tags))
        {
            return true;
        }

        await context.MarkDeletedAsync(entry, cancellationToken);
        var owner = tags.FirstOrDefault(t => t.Key == TaggedResourceScanner.RunTag).Value;
        await released(entry, owner is null ? "it does not carry this run's lab-portal:run tag" : $"its lab-portal:run tag names run #{owner}");
        return false;
    }

    /// <summary>Deletes one resource, retrying while AWS says its dependants are still going; true when it is gone, false when recorded as failed.</summary>
    private static async Task<bool> DeleteWithRetriesAsync(LabActionContext context, LedgerEntry entry, TeardownReport report, CancellationToken cancellationToken)
    {
        if (entry.ResourceId is null)
        {
            // Intended but never created (the create call failed or never ran): nothing to delete.
            await context.MarkDeletedAsync(entry, cancellationToken);
            return true;
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
                try
                {
                    await CloudSteps.PollAgainAsync(context, TimeSpan.FromSeconds(Math.Min(10, 1 << Math.Min(attempt, 3))), "", "", cancellationToken);
                }
                catch (LabStepException timedOut) when (timedOut.Code == "WaitTimedOut")
                {
                    // Still refused at the deadline: a dependant that is not going away (perhaps not the run's). Reported with AWS's words.
                    report.Add(entry.Kind, entry.ResourceId, e.ErrorCode, e.Message, e.Message);
                    return false;
                }
            }
            catch (AmazonServiceException e)
            {
                report.Add(entry.Kind, entry.ResourceId, e.ErrorCode, e.Message, e.Message);
                return false;
            }
        }

        await context.MarkDeletedAsync(entry, cancellationToken);
        return true;
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
    private static async Task TerminateInstancesAsync(LabActionContext context, List<LedgerEntry> entries, TeardownReport report, CancellationToken cancellationToken)
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
            catch (AmazonServiceException e)
            {
                report.Add(ResourceKind.Instance, string.Join(", ", ids), e.ErrorCode, e.Message, e.Message);
                return;
            }
            catch (LabStepException e) when (e.Code == "WaitTimedOut")
            {
                report.Add(ResourceKind.Instance, string.Join(", ", ids), e.Code, e.English, e.Korean);
                return;
            }
        }

        foreach (var entry in entries)
        {
            await context.MarkDeletedAsync(entry, cancellationToken);
        }
    }
}
