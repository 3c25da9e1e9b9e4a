using Amazon.EC2.Model;
using Amazon.Runtime;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>
/// Cleans a whole account of an account pool before it goes back to the pool (issue 17): in one region, every
/// resource of the kinds the labs make is deleted, tagged or not, in the ledger or not (a learner with the
/// account's keys may have made things by hand, and the next learner must find the account empty). One pass
/// deletes in <see cref="ResourceKinds.All"/>'s dependency order and never waits: what AWS refuses for now
/// (a security group an instance still holds, a target group a load balancer still uses) or what is still
/// going (instances shutting down, groups being deleted) is left for the next pass; the caller scans again and
/// comes back until the scan finds nothing.
/// </summary>
public static class PoolAccountSweep
{
    /// <summary>Codes that mean "not yet": a dependant is still being removed.</summary>
    private static readonly HashSet<string> NotYetCodes = new(StringComparer.Ordinal)
    {
        "DependencyViolation", "ResourceInUse", "ScalingActivityInProgress", "InvalidGroup.InUse", "IncorrectInstanceState",
    };

    /// <summary>
    /// One cleaning pass over the account in <paramref name="region"/>; returns what AWS refused for good
    /// (its code and words), which the caller reports. Resources already gone count as deleted.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PassAsync(AwsClients cloud, string region, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        var found = await TaggedResourceScanner.ScanAsync(cloud, region, null, null, cancellationToken);
        var refused = new List<string>();
        foreach (var kind in ResourceKinds.All)
        {
            var ofKind = found.Where(r => r.Kind == kind).ToList();
            if (ofKind.Count == 0)
            {
                continue;
            }

            switch (kind)
            {
                case ResourceKind.Instance:
                    // Terminated together; those already shutting down need nothing more.
                    var ids = ofKind.Where(i => i.State is not ("shutting-down" or "terminated")).Select(i => i.ResourceId).ToList();
                    if (ids.Count > 0)
                    {
                        await TryAsync(() => cloud.Ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ids }, cancellationToken), kind, string.Join(", ", ids), refused);
                    }

                    continue;
                case ResourceKind.AutoScalingGroup:
                    // A group being deleted is going already (ForceDelete terminates its instances first).
                    ofKind = [.. ofKind.Where(g => g.State is null || !g.State.StartsWith("Delete", StringComparison.OrdinalIgnoreCase))];
                    break;
                case ResourceKind.SecurityGroup:
                    // Two groups naming each other in their rules cannot be deleted in either order: those rules go first.
                    await RevokeCrossReferencesAsync(cloud, [.. ofKind.Select(g => g.ResourceId)], cancellationToken);
                    break;
            }

            foreach (var resource in ofKind)
            {
                await TryAsync(() => ResourceDeleter.DeleteAsync(cloud, kind, resource.ResourceId, _ => { }, cancellationToken), kind, resource.ResourceId, refused);
            }
        }

        return refused;
    }

    private static async Task TryAsync(Func<Task> call, ResourceKind kind, string id, List<string> refused)
    {
        try
        {
            await call();
        }
        catch (AmazonServiceException e) when (TeardownPass.GoneCodes.Contains(e.ErrorCode) || NotYetCodes.Contains(e.ErrorCode)
            || (e.ErrorCode == "ValidationError" && e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase)))
        {
            // Gone already, or not yet deletable: the next scan tells which.
        }
        catch (AmazonServiceException e)
        {
            refused.Add($"{kind} {id}: {e.ErrorCode}: {e.Message}");
        }
    }

    private static async Task RevokeCrossReferencesAsync(AwsClients cloud, List<string> groupIds, CancellationToken cancellationToken)
    {
        var ids = groupIds.ToHashSet(StringComparer.Ordinal);
        DescribeSecurityGroupsResponse described;
        try
        {
            described = await cloud.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = groupIds }, cancellationToken);
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "InvalidGroup.NotFound")
        {
            // One went meanwhile: the deletes that follow say the rest.
            return;
        }

        foreach (var group in described.SecurityGroups ?? [])
        {
            var ingress = Referencing(group.IpPermissions, ids);
            var egress = Referencing(group.IpPermissionsEgress, ids);
            try
            {
                if (ingress.Count > 0)
                {
                    await cloud.Ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest { GroupId = group.GroupId, IpPermissions = ingress }, cancellationToken);
                }

                if (egress.Count > 0)
                {
                    await cloud.Ec2.RevokeSecurityGroupEgressAsync(new RevokeSecurityGroupEgressRequest { GroupId = group.GroupId, IpPermissions = egress }, cancellationToken);
                }
            }
            catch (AmazonServiceException e) when (e.ErrorCode is "InvalidGroup.NotFound" or "InvalidPermission.NotFound")
            {
                // The rule or the group went between the describe and the revoke.
            }
        }
    }

    private static List<IpPermission> Referencing(List<IpPermission>? permissions, HashSet<string> groupIds) =>
    [
        .. (permissions ?? [])
            .Where(p => (p.UserIdGroupPairs ?? []).Any(pair => pair.GroupId is { } other && groupIds.Contains(other)))
            .Select(p => new IpPermission
            {
                IpProtocol = p.IpProtocol,
                FromPort = p.FromPort,
                ToPort = p.ToPort,
                UserIdGroupPairs = [.. p.UserIdGroupPairs!.Where(pair => pair.GroupId is { } other && groupIds.Contains(other))],
            }),
    ];
}
