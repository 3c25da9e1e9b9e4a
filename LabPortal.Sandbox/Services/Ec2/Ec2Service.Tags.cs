using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

public sealed partial class Ec2Service
{
    private async Task<ApiResult> CreateTagsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var resources = p.GetList("ResourceId");
        var tags = p.GetTags("Tag");
        if (resources.Count == 0)
        {
            throw p.Missing("ResourceId.1");
        }

        if (tags.Count == 0)
        {
            throw p.Missing("Tag.1.Key");
        }

        foreach (var (key, value) in tags)
        {
            Ec2Tags.Validate(new Dictionary<string, string> { [key] = value ?? string.Empty });
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var targets = resources.Select(id => TagsOf(ec2, id).Tags).ToList();
        foreach (var target in targets)
        {
            var merged = new Dictionary<string, string>(target, StringComparer.Ordinal);
            foreach (var (key, value) in tags)
            {
                merged[key] = value ?? string.Empty;
            }

            Ec2Tags.Validate(merged);
        }

        scope.MarkChanged<Ec2RegionState>(request.Region);
        foreach (var target in targets)
        {
            foreach (var (key, value) in tags)
            {
                target[key] = value ?? string.Empty;
            }
        }

        return ApiResult.Xml(w => w.Element("return", true));
    }

    private async Task<ApiResult> DeleteTagsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var resources = p.GetList("ResourceId");
        var tags = p.GetTags("Tag");
        if (resources.Count == 0)
        {
            throw p.Missing("ResourceId.1");
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var targets = resources.Select(id => TagsOf(ec2, id).Tags).ToList();
        scope.MarkChanged<Ec2RegionState>(request.Region);
        foreach (var target in targets)
        {
            if (tags.Count == 0)
            {
                // No Tag given: every tag of the resource goes (EC2 API reference, DeleteTags).
                target.Clear();
                continue;
            }

            foreach (var (key, value) in tags)
            {
                // With a value, the tag goes only when its value matches (an empty value matches only an empty value).
                if (target.TryGetValue(key, out var current) && (value is null || value == current))
                {
                    target.Remove(key);
                }
            }
        }

        return ApiResult.Xml(w => w.Element("return", true));
    }

    private async Task<ApiResult> DescribeTagsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var filters = p.GetFilters();
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        _instances.PurgeExpired(scope, request.Region);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var all = AllTagged(ec2)
            .SelectMany(r => r.Tags.Select(t => (r.Id, r.Type, t.Key, t.Value)))
            .Where(t => MatchesAll(filters, f => f switch
            {
                "resource-id" => [t.Id],
                "resource-type" => [t.Type],
                "key" => [t.Key],
                "value" => [t.Value],
                _ when f.StartsWith("tag:", StringComparison.Ordinal) => f[4..] == t.Key ? [t.Value] : [],
                _ => null,
            }))
            .OrderBy(t => t.Id, StringComparer.Ordinal)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .ToList();
        var (page, next) = Paginate(all, p);
        return ApiResult.Xml(w =>
        {
            w.ItemSet("tagSet", page, (x, t) => x
                .Element("resourceId", t.Id)
                .Element("resourceType", t.Type)
                .Element("key", t.Key)
                .Element("value", t.Value));
            w.Element("nextToken", next);
        });
    }

    private static IEnumerable<(string Id, string Type, Dictionary<string, string> Tags)> AllTagged(Ec2RegionState ec2) =>
        ec2.Instances.Values.Select(i => (i.InstanceId, "instance", i.Tags))
            .Concat(ec2.SecurityGroups.Values.Select(g => (g.GroupId, "security-group", g.Tags)))
            .Concat(ec2.Vpcs.Values.Select(v => (v.VpcId, "vpc", v.Tags)))
            .Concat(ec2.Subnets.Values.Select(s => (s.SubnetId, "subnet", s.Tags)))
            .Concat(ec2.LaunchTemplates.Values.Select(t => (t.LaunchTemplateId, "launch-template", t.Tags)))
            .Concat(ec2.KeyPairs.Values.Select(k => (k.KeyPairId, "key-pair", k.Tags)))
            .Concat(ec2.InternetGateways.Values.Select(g => (g.InternetGatewayId, "internet-gateway", g.Tags)))
            .Concat(ec2.RouteTables.Values.Select(t => (t.RouteTableId, "route-table", t.Tags)));

    /// <summary>The tag dictionary of a resource by id, with the resource type's own NotFound code.</summary>
    private static (string Type, Dictionary<string, string> Tags) TagsOf(Ec2RegionState ec2, string id)
    {
        var prefix = id.Contains('-', StringComparison.Ordinal) ? id[..id.IndexOf('-', StringComparison.Ordinal)] : string.Empty;
        return prefix switch
        {
            "i" => ("instance", ec2.Instances.GetValueOrDefault(id)?.Tags ?? throw Ec2InstanceLookup.NotFound([id])),
            "sg" => ("security-group", ec2.SecurityGroups.GetValueOrDefault(id)?.Tags ?? throw new ApiException("InvalidGroup.NotFound", $"The security group '{QueryParameters.Shorten(id)}' does not exist")),
            "vpc" => ("vpc", ec2.Vpcs.GetValueOrDefault(id)?.Tags ?? throw new ApiException("InvalidVpcID.NotFound", $"The vpc ID '{QueryParameters.Shorten(id)}' does not exist")),
            "subnet" => ("subnet", ec2.Subnets.GetValueOrDefault(id)?.Tags ?? throw new ApiException("InvalidSubnetID.NotFound", $"The subnet ID '{QueryParameters.Shorten(id)}' does not exist")),
            "lt" => ("launch-template", ec2.LaunchTemplates.GetValueOrDefault(id)?.Tags ?? throw new ApiException("InvalidLaunchTemplateId.NotFound", $"The specified launch template, with template ID {QueryParameters.Shorten(id)}, does not exist.")),
            "key" => ("key-pair", ec2.KeyPairs.GetValueOrDefault(id)?.Tags ?? throw new ApiException("InvalidKeyPair.NotFound", $"The key pair '{QueryParameters.Shorten(id)}' does not exist")),
            "igw" => ("internet-gateway", ec2.InternetGateways.GetValueOrDefault(id)?.Tags ?? throw new ApiException("InvalidInternetGatewayID.NotFound", $"The internetGateway ID '{QueryParameters.Shorten(id)}' does not exist")),
            "rtb" => ("route-table", ec2.RouteTables.GetValueOrDefault(id)?.Tags ?? throw new ApiException("InvalidRouteTableID.NotFound", $"The routeTable ID '{QueryParameters.Shorten(id)}' does not exist")),
            "ami" => throw new ApiException("InvalidAMIID.NotFound", $"The image id '[{QueryParameters.Shorten(id)}]' does not exist"),
            _ => throw new ApiException("InvalidID", $"The ID '{QueryParameters.Shorten(id)}' is not valid"),
        };
    }
}
