using Amazon.EC2.Model;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Elbv2;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>
/// Finds lab resources in one account and region by their tags, with the typed clients: EC2
/// Describe calls with tag filters (instances, security groups, launch templates, VPCs, subnets,
/// internet gateways, route tables), ELBv2 load balancers and target groups with DescribeTags, Auto
/// Scaling DescribeTags. Terminated instances (which AWS lists for about an hour) are not resources
/// any more and are left out; so are a region's default VPC objects and every VPC's main route table,
/// which no lab creates or deletes (a main table goes with its VPC), whatever tags they carry.
/// </summary>
public static class TaggedResourceScanner
{
    public const string RunTag = "lab-portal:run";
    public const string LearnerTag = "lab-portal:learner";

    /// <summary>
    /// Resources carrying <paramref name="tagKey"/>, with one of <paramref name="values"/> when given;
    /// with no <paramref name="tagKey"/>, every resource of the kinds the portal makes, tagged or not
    /// (a sandbox account is one learner's: whatever is in it is theirs). Never a VPC's <c>default</c>
    /// security group: AWS makes it with the VPC and refuses to delete it.
    /// </summary>
    public static async Task<List<TaggedResource>> ScanAsync(AwsClients cloud, string region, string? tagKey, IReadOnlyCollection<string>? values, CancellationToken cancellationToken)
    {
        var found = new List<TaggedResource>();
        Amazon.EC2.Model.Filter? ec2Filter = tagKey is null ? null
            : values is { Count: > 0 }
            ? new Amazon.EC2.Model.Filter { Name = "tag:" + tagKey, Values = [.. values] }
            : new Amazon.EC2.Model.Filter { Name = "tag-key", Values = [tagKey] };
        bool Wanted(string? key, string? value) => tagKey is null || (key == tagKey && (values is not { Count: > 0 } || (value is not null && values.Contains(value))));

        string? token = null;
        do
        {
            var page = await cloud.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = Filters(ec2Filter), NextToken = token }, cancellationToken);
            foreach (var instance in (page.Reservations ?? []).SelectMany(r => r.Instances ?? []))
            {
                if (instance.State?.Name?.Value is "terminated" || instance.InstanceId is null)
                {
                    continue;
                }

                found.Add(Ec2Resource(ResourceKind.Instance, instance.InstanceId, instance.Tags, region, instance.State?.Name?.Value));
            }

            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        token = null;
        do
        {
            var page = await cloud.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = Filters(ec2Filter), NextToken = token }, cancellationToken);
            found.AddRange((page.SecurityGroups ?? []).Where(g => g.GroupId is not null && g.GroupName != "default").Select(g => Ec2Resource(ResourceKind.SecurityGroup, g.GroupId!, g.Tags, region, null, g.GroupName)));
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        token = null;
        do
        {
            var page = await cloud.Ec2.DescribeLaunchTemplatesAsync(new DescribeLaunchTemplatesRequest { Filters = Filters(ec2Filter), NextToken = token }, cancellationToken);
            found.AddRange((page.LaunchTemplates ?? []).Where(t => t.LaunchTemplateId is not null).Select(t => Ec2Resource(ResourceKind.LaunchTemplate, t.LaunchTemplateId!, t.Tags, region, null, t.LaunchTemplateName)));
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        await ScanNetworkAsync(cloud, region, ec2Filter, found, cancellationToken);

        // ELBv2 has no tag filter on Describe: list, then read the tags 20 ARNs at a time (DescribeTags' limit).
        var balancers = new Dictionary<string, (ResourceKind Kind, string Name, string? State)>(StringComparer.Ordinal);
        string? marker = null;
        do
        {
            var page = await cloud.Elbv2.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest { Marker = marker }, cancellationToken);
            foreach (var lb in page.LoadBalancers ?? [])
            {
                balancers[lb.LoadBalancerArn!] = (ResourceKind.LoadBalancer, lb.LoadBalancerName ?? "", lb.State?.Code);
            }

            marker = page.NextMarker;
        }
        while (!string.IsNullOrEmpty(marker));

        marker = null;
        do
        {
            var page = await cloud.Elbv2.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest { Marker = marker }, cancellationToken);
            foreach (var tg in page.TargetGroups ?? [])
            {
                balancers[tg.TargetGroupArn!] = (ResourceKind.TargetGroup, tg.TargetGroupName ?? "", null);
            }

            marker = page.NextMarker;
        }
        while (!string.IsNullOrEmpty(marker));

        foreach (var chunk in balancers.Keys.Chunk(20))
        {
            var tags = await cloud.Elbv2.DescribeTagsAsync(new Aws.Elbv2.DescribeTagsRequest { ResourceArns = [.. chunk] }, cancellationToken);
            foreach (var description in tags.TagDescriptions ?? [])
            {
                var list = description.Tags ?? [];
                if (description.ResourceArn is { } arn && balancers.TryGetValue(arn, out var known) && (tagKey is null || list.Any(t => Wanted(t.Key, t.Value))))
                {
                    found.Add(new TaggedResource(known.Kind, arn, Tag(list.Select(t => (t.Key, t.Value)), "Name") ?? known.Name, region,
                        Tag(list.Select(t => (t.Key, t.Value)), RunTag), Tag(list.Select(t => (t.Key, t.Value)), LearnerTag), known.State));
                }
            }
        }

        // Auto Scaling: DescribeTags filters by key (and value), one row per tag; with no key, every group.
        var groupTags = new Dictionary<string, List<(string? Key, string? Value)>>(StringComparer.Ordinal);
        token = null;
        if (tagKey is null)
        {
            do
            {
                var page = await cloud.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { NextToken = token }, cancellationToken);
                foreach (var group in page.AutoScalingGroups ?? [])
                {
                    var list = (group.Tags ?? []).Select(t => (t.Key, t.Value)).ToList();
                    found.Add(new TaggedResource(ResourceKind.AutoScalingGroup, group.AutoScalingGroupName!, group.AutoScalingGroupName!, region, Tag(list, RunTag), Tag(list, LearnerTag), group.Status));
                }

                token = page.NextToken;
            }
            while (!string.IsNullOrEmpty(token));
            return found;
        }

        do
        {
            var page = await cloud.AutoScaling.DescribeTagsAsync(new Aws.AutoScaling.DescribeTagsRequest
            {
                Filters = [new Aws.AutoScaling.Filter { Name = "key", Values = [tagKey] }],
                NextToken = token,
            }, cancellationToken);
            foreach (var tag in page.Tags ?? [])
            {
                if (tag.ResourceId is { } group && Wanted(tag.Key, tag.Value))
                {
                    groupTags[group] = [];
                }
            }

            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        if (groupTags.Count > 0)
        {
            var groups = await cloud.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [.. groupTags.Keys] }, cancellationToken);
            foreach (var group in groups.AutoScalingGroups ?? [])
            {
                var list = (group.Tags ?? []).Select(t => (t.Key, t.Value)).ToList();
                found.Add(new TaggedResource(ResourceKind.AutoScalingGroup, group.AutoScalingGroupName!, group.AutoScalingGroupName!, region, Tag(list, RunTag), Tag(list, LearnerTag), group.Status));
            }
        }

        return found;
    }

    /// <summary>The VPC building blocks carrying the tag; never the default VPC, its subnets and gateway, or a main route table.</summary>
    private static async Task ScanNetworkAsync(AwsClients cloud, string region, Amazon.EC2.Model.Filter? ec2Filter, List<TaggedResource> found, CancellationToken cancellationToken)
    {
        // A region has at most one default VPC: what is in it or attached to it is never a lab's.
        var defaults = await cloud.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Amazon.EC2.Model.Filter { Name = "is-default", Values = ["true"] }] }, cancellationToken);
        var defaultVpcs = (defaults.Vpcs ?? []).Where(v => v.VpcId is not null).Select(v => v.VpcId!).ToHashSet(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await cloud.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = Filters(ec2Filter), NextToken = token }, cancellationToken);
            found.AddRange((page.Vpcs ?? []).Where(v => v.VpcId is not null && v.IsDefault != true && !defaultVpcs.Contains(v.VpcId))
                .Select(v => Ec2Resource(ResourceKind.Vpc, v.VpcId!, v.Tags, region, v.State?.Value)));
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        token = null;
        do
        {
            var page = await cloud.Ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = Filters(ec2Filter), NextToken = token }, cancellationToken);
            found.AddRange((page.Subnets ?? []).Where(n => n.SubnetId is not null && n.DefaultForAz != true && !defaultVpcs.Contains(n.VpcId ?? ""))
                .Select(n => Ec2Resource(ResourceKind.Subnet, n.SubnetId!, n.Tags, region, n.State?.Value)));
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        token = null;
        do
        {
            var page = await cloud.Ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest { Filters = Filters(ec2Filter), NextToken = token }, cancellationToken);
            found.AddRange((page.InternetGateways ?? []).Where(g => g.InternetGatewayId is not null && !(g.Attachments ?? []).Any(a => defaultVpcs.Contains(a.VpcId ?? "")))
                .Select(g => Ec2Resource(ResourceKind.InternetGateway, g.InternetGatewayId!, g.Tags, region, null)));
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        token = null;
        do
        {
            var page = await cloud.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = Filters(ec2Filter), NextToken = token }, cancellationToken);
            found.AddRange((page.RouteTables ?? []).Where(t => t.RouteTableId is not null && !(t.Associations ?? []).Any(a => a.Main == true) && !defaultVpcs.Contains(t.VpcId ?? ""))
                .Select(t => Ec2Resource(ResourceKind.RouteTable, t.RouteTableId!, t.Tags, region, null)));
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));
    }

    /// <summary>The request's filters; none at all (not an empty list, which the SDK would still send) when scanning everything.</summary>
    private static List<Amazon.EC2.Model.Filter> Filters(Amazon.EC2.Model.Filter? filter) => filter is null ? null! : [filter];

    private static TaggedResource Ec2Resource(ResourceKind kind, string id, List<Amazon.EC2.Model.Tag>? tags, string region, string? state, string? ownName = null)
    {
        var list = (tags ?? []).Select(t => ((string?)t.Key, (string?)t.Value)).ToList();
        return new TaggedResource(kind, id, Tag(list, "Name") ?? ownName ?? "", region, Tag(list, RunTag), Tag(list, LearnerTag), state);
    }

    private static string? Tag(IEnumerable<(string? Key, string? Value)> tags, string key) => tags.FirstOrDefault(t => t.Key == key).Value;
}
