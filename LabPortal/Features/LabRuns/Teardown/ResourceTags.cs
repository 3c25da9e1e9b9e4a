using Amazon.EC2.Model;
using LabPortal.Aws.AutoScaling;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>
/// Reads the tags of one resource of a tagged kind (<see cref="ResourceKinds.Tagged"/>) by its id, so
/// a teardown can tell the run's own resources from anything else before deleting.
/// </summary>
public static class ResourceTags
{
    /// <summary>The resource's tags, or null when it no longer exists (a terminated instance still exists: AWS keeps it listed for a while with its tags).</summary>
    public static async Task<IReadOnlyList<(string? Key, string? Value)>?> ReadAsync(AwsClients cloud, ResourceKind kind, string id, CancellationToken cancellationToken = default)
    {
        static IReadOnlyList<(string? Key, string? Value)> Ec2(List<Amazon.EC2.Model.Tag>? tags) => [.. (tags ?? []).Select(t => ((string?)t.Key, (string?)t.Value))];

        switch (kind)
        {
            case ResourceKind.Instance:
                var instances = await cloud.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [id] }, cancellationToken);
                return (instances.Reservations ?? []).SelectMany(r => r.Instances ?? []).FirstOrDefault() is { } instance ? Ec2(instance.Tags) : null;
            case ResourceKind.SecurityGroup:
                var groups = await cloud.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [id] }, cancellationToken);
                return (groups.SecurityGroups ?? []).FirstOrDefault() is { } group ? Ec2(group.Tags) : null;
            case ResourceKind.LaunchTemplate:
                var templates = await cloud.Ec2.DescribeLaunchTemplatesAsync(new DescribeLaunchTemplatesRequest { LaunchTemplateIds = [id] }, cancellationToken);
                return (templates.LaunchTemplates ?? []).FirstOrDefault() is { } template ? Ec2(template.Tags) : null;
            case ResourceKind.Vpc:
                var vpcs = await cloud.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [id] }, cancellationToken);
                return (vpcs.Vpcs ?? []).FirstOrDefault() is { } vpc ? Ec2(vpc.Tags) : null;
            case ResourceKind.Subnet:
                var subnets = await cloud.Ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = [id] }, cancellationToken);
                return (subnets.Subnets ?? []).FirstOrDefault() is { } subnet ? Ec2(subnet.Tags) : null;
            case ResourceKind.InternetGateway:
                var gateways = await cloud.Ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest { InternetGatewayIds = [id] }, cancellationToken);
                return (gateways.InternetGateways ?? []).FirstOrDefault() is { } gateway ? Ec2(gateway.Tags) : null;
            case ResourceKind.RouteTable:
                var tables = await cloud.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [id] }, cancellationToken);
                return (tables.RouteTables ?? []).FirstOrDefault() is { } table ? Ec2(table.Tags) : null;
            case ResourceKind.LoadBalancer or ResourceKind.TargetGroup:
                var described = await cloud.Elbv2.DescribeTagsAsync(new Aws.Elbv2.DescribeTagsRequest { ResourceArns = [id] }, cancellationToken);
                return (described.TagDescriptions ?? []).FirstOrDefault() is { } description ? [.. (description.Tags ?? []).Select(t => (t.Key, t.Value))] : null;
            case ResourceKind.AutoScalingGroup:
                var asgs = await cloud.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [id] }, cancellationToken);
                return (asgs.AutoScalingGroups ?? []).FirstOrDefault() is { } asg ? [.. (asg.Tags ?? []).Select(t => (t.Key, t.Value))] : null;
            default:
                throw new InvalidOperationException($"{kind} carries no tags of its own.");
        }
    }
}
