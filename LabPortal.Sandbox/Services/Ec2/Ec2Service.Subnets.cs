using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Subnets: CreateSubnet, ModifySubnetAttribute and DeleteSubnet (DescribeSubnets is with the other network reads).
/// </summary>
public sealed partial class Ec2Service
{
    private async Task<ApiResult> CreateSubnetAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var vpcId = p.GetRequired("VpcId");
        var cidr = p.GetRequired("CidrBlock");
        var zone = p.Get("AvailabilityZone");
        var zoneId = p.Get("AvailabilityZoneId");
        var tags = Ec2Tags.ReadSpecifications(p, "TagSpecification", "subnet").GetValueOrDefault("subnet") ?? new Dictionary<string, string>(StringComparer.Ordinal);
        ParseBlock(cidr, "cidrBlock");
        var zones = Ec2Regions.AvailabilityZones(request.Region);
        if (zone is not null && zoneId is not null)
        {
            throw new ApiException("InvalidParameterCombination", "Only one of availabilityZone or availabilityZoneId can be specified.");
        }

        if (zoneId is not null)
        {
            zone = zones.FirstOrDefault(z => Ec2Regions.ZoneId(z) == zoneId)
                ?? throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(zoneId)}) for parameter availabilityZoneId is invalid. Subnets can currently only be created in the following availability zone ids: {string.Join(", ", zones.Select(Ec2Regions.ZoneId))}.");
        }

        if (zone is not null && !zones.Contains(zone))
        {
            throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(zone)}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: {string.Join(", ", zones)}.");
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var vpc = FindVpc(ec2, vpcId);
        var (network, prefix) = Ec2Cidr.Parse(cidr);

        // A subnet's block is /16 to /28, inside its VPC's block, overlapping no other subnet of the VPC
        // (VPC user guide, "Subnet CIDR blocks").
        if (prefix is < 16 or > 28 || !Ec2Cidr.Contains(vpc.CidrBlock, cidr) || (network & ~Ec2Cidr.Mask(prefix)) != 0)
        {
            throw new ApiException("InvalidSubnet.Range", $"The CIDR '{cidr}' is invalid.");
        }

        if (ec2.Subnets.Values.Any(s => s.VpcId == vpc.VpcId && Ec2Cidr.Overlaps(s.CidrBlock, cidr)))
        {
            throw new ApiException("InvalidSubnet.Conflict", $"The CIDR '{cidr}' conflicts with another subnet");
        }

        // Without a zone AWS picks one; the sandbox takes the zone with the fewest subnets of this VPC.
        zone ??= zones.OrderBy(z => ec2.Subnets.Values.Count(s => s.VpcId == vpc.VpcId && s.AvailabilityZone == z)).First();
        var subnet = new Ec2Subnet
        {
            SubnetId = Ec2Ids.New("subnet"),
            VpcId = vpc.VpcId,
            CidrBlock = cidr,
            AvailabilityZone = zone,
            AvailabilityZoneId = Ec2Regions.ZoneId(zone),
            Tags = tags,
        };
        scope.Write<Ec2RegionState>(request.Region).Subnets[subnet.SubnetId] = subnet;
        return ApiResult.Xml(w => w.Struct("subnet", x => WriteSubnet(x, subnet, request, ec2, "pending")));
    }

    private async Task<ApiResult> ModifySubnetAttributeAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var id = p.GetRequired("SubnetId");
        var value = p.Struct("MapPublicIpOnLaunch").Get("Value");
        if (value is null)
        {
            throw new ApiException("MissingParameter", "The request must contain the parameter MapPublicIpOnLaunch; it is the only subnet attribute the sandbox models.");
        }

        var map = ParseFlag(value, "MapPublicIpOnLaunch")!.Value;
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var subnet = FindSubnet(scope.Read<Ec2RegionState>(request.Region), id);
        scope.MarkChanged<Ec2RegionState>(request.Region);
        subnet.MapPublicIpOnLaunch = map;
        return ApiResult.Xml(w => w.Element("return", true));
    }

    private async Task<ApiResult> DeleteSubnetAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var id = request.Parameters.GetRequired("SubnetId");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        _instances.PurgeExpired(scope, request.Region);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var subnet = FindSubnet(ec2, id);
        if (subnet.DefaultForAz)
        {
            throw new ApiException("OperationNotPermitted", $"The sandbox keeps the default subnet '{id}'.");
        }

        // Instances (until terminated) and load balancers hold network interfaces in the subnet.
        var blocked = ec2.Instances.Values.Any(i => i.SubnetId == id && i.State != Ec2InstanceState.Terminated)
            || _networkReferences.Any(r => r.IsSubnetInUse(scope, request.Region, id));
        if (blocked)
        {
            throw new ApiException("DependencyViolation", $"The subnet '{id}' has dependencies and cannot be deleted.");
        }

        ec2 = scope.Write<Ec2RegionState>(request.Region);
        ec2.Subnets.Remove(id);
        foreach (var table in ec2.RouteTables.Values)
        {
            table.Associations.RemoveAll(a => a.SubnetId == id);
        }

        return ApiResult.Xml(w => w.Element("return", true));
    }

    private static Ec2Subnet FindSubnet(Ec2RegionState ec2, string id)
    {
        if (!Ec2Ids.IsWellFormed(id, "subnet"))
        {
            throw new ApiException("InvalidSubnetID.Malformed", $"Invalid id: \"{QueryParameters.Shorten(id)}\" (expecting \"subnet-...\")");
        }

        return ec2.Subnets.GetValueOrDefault(id) ?? throw new ApiException("InvalidSubnetID.NotFound", $"The subnet ID '{id}' does not exist");
    }
}
