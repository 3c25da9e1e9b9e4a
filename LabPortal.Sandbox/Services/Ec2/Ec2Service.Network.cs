using System.Xml;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

public sealed partial class Ec2Service
{
    private Task<ApiResult> DescribeRegionsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var names = request.Parameters.GetList("RegionName");
        var filters = request.Parameters.GetFilters();
        request.Parameters.GetBool("AllRegions");
        var regions = Ec2Regions.Known.Contains(request.Region) ? Ec2Regions.Known : [.. Ec2Regions.Known, request.Region];
        foreach (var name in names.Where(n => !regions.Contains(n)))
        {
            throw new ApiException("InvalidParameterValue", $"Invalid region: {QueryParameters.Shorten(name)}");
        }

        var selected = regions
            .Where(r => names.Count == 0 || names.Contains(r))
            .Where(r => MatchesAll(filters, f => f switch
            {
                "region-name" => [r],
                "endpoint" => [$"ec2.{r}.amazonaws.com"],
                "opt-in-status" => ["opt-in-not-required"],
                _ => null,
            }))
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(ApiResult.Xml(w => w.ItemSet("regionInfo", selected, (x, r) => x
            .Element("regionName", r)
            .Element("regionEndpoint", $"ec2.{r}.amazonaws.com")
            .Element("optInStatus", "opt-in-not-required"))));
    }

    private Task<ApiResult> DescribeAvailabilityZonesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var names = request.Parameters.GetList("ZoneName");
        var ids = request.Parameters.GetList("ZoneId");
        var filters = request.Parameters.GetFilters();
        request.Parameters.GetBool("AllAvailabilityZones");
        var zones = Ec2Regions.AvailabilityZones(request.Region);
        foreach (var name in names.Where(n => !zones.Contains(n)))
        {
            throw new ApiException("InvalidParameterValue", $"The zone '{QueryParameters.Shorten(name)}' does not exist.");
        }

        var selected = zones
            .Where(z => (names.Count == 0 && ids.Count == 0) || names.Contains(z) || ids.Contains(Ec2Regions.ZoneId(z)))
            .Where(z => MatchesAll(filters, f => f switch
            {
                "zone-name" => [z],
                "zone-id" => [Ec2Regions.ZoneId(z)],
                "region-name" => [request.Region],
                "state" => ["available"],
                "zone-type" => ["availability-zone"],
                "group-name" or "network-border-group" => [request.Region],
                "opt-in-status" => ["opt-in-not-required"],
                _ => null,
            }))
            .ToList();
        return Task.FromResult(ApiResult.Xml(w => w.ItemSet("availabilityZoneInfo", selected, (x, z) => x
            .Element("zoneName", z)
            .Element("zoneState", "available")
            .Element("regionName", request.Region)
            .Element("zoneId", Ec2Regions.ZoneId(z))
            .Element("zoneType", "availability-zone")
            .Element("optInStatus", "opt-in-not-required")
            .Element("groupName", request.Region)
            .Element("networkBorderGroup", request.Region)
            .ItemSet("messageSet", Array.Empty<string>(), (_, _) => { }))));
    }

    private async Task<ApiResult> DescribeVpcsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var ids = request.Parameters.GetList("VpcId");
        var filters = request.Parameters.GetFilters();
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var missing = ids.Where(id => !ec2.Vpcs.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            throw new ApiException("InvalidVpcID.NotFound", $"The vpc ID '{QueryParameters.Shorten(missing[0])}' does not exist");
        }

        var vpcs = ec2.Vpcs.Values
            .Where(v => ids.Count == 0 || ids.Contains(v.VpcId))
            .Where(v => MatchesAll(filters, f => TagFilterValues(f, v.Tags) ?? f switch
            {
                "vpc-id" => [v.VpcId],
                "is-default" => [Bool(v.IsDefault)],
                "cidr" or "cidr-block-association.cidr-block" => [v.CidrBlock],
                "state" => ["available"],
                "owner-id" => [request.AccountId],
                "dhcp-options-id" => [v.DhcpOptionsId],
                _ => null,
            }))
            .ToList();
        return ApiResult.Xml(w => w.ItemSet("vpcSet", vpcs, (x, v) => WriteVpc(x, v, request.AccountId)));
    }

    private static void WriteVpc(XmlWriter w, Ec2Vpc vpc, string accountId, string state = "available") => w
        .Element("vpcId", vpc.VpcId)
        .Element("ownerId", accountId)
        .Element("state", state)
        .Element("cidrBlock", vpc.CidrBlock)
        .ItemSet("cidrBlockAssociationSet", new[] { vpc }, (x, v) => x
            .Element("cidrBlock", v.CidrBlock)
            .Element("associationId", v.CidrAssociationId)
            .Struct("cidrBlockState", s => s.Element("state", "associated")))
        .Element("dhcpOptionsId", vpc.DhcpOptionsId)
        .TagSet(vpc.Tags)
        .Element("instanceTenancy", "default")
        .Element("isDefault", vpc.IsDefault);

    private async Task<ApiResult> DescribeSubnetsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var ids = request.Parameters.GetList("SubnetId");
        var filters = request.Parameters.GetFilters();
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        foreach (var id in ids)
        {
            if (!Ec2Ids.IsWellFormed(id, "subnet"))
            {
                throw new ApiException("InvalidSubnetID.Malformed", $"Invalid id: \"{QueryParameters.Shorten(id)}\" (expecting \"subnet-...\")");
            }

            if (!ec2.Subnets.ContainsKey(id))
            {
                throw new ApiException("InvalidSubnetID.NotFound", $"The subnet ID '{id}' does not exist");
            }
        }

        var subnets = ec2.Subnets.Values
            .Where(s => ids.Count == 0 || ids.Contains(s.SubnetId))
            .Where(s => MatchesAll(filters, f => TagFilterValues(f, s.Tags) ?? f switch
            {
                "subnet-id" => [s.SubnetId],
                "vpc-id" => [s.VpcId],
                "availability-zone" or "availabilityZone" => [s.AvailabilityZone],
                "availability-zone-id" or "availabilityZoneId" => [s.AvailabilityZoneId],
                "default-for-az" or "defaultForAz" => [Bool(s.DefaultForAz)],
                "cidr-block" or "cidr" or "cidrBlock" => [s.CidrBlock],
                "map-public-ip-on-launch" => [Bool(s.MapPublicIpOnLaunch)],
                "state" => ["available"],
                "owner-id" => [request.AccountId],
                _ => null,
            }))
            .ToList();
        return ApiResult.Xml(w => w.ItemSet("subnetSet", subnets, (x, s) => WriteSubnet(x, s, request, ec2)));
    }

    private static void WriteSubnet(XmlWriter x, Ec2Subnet s, ApiRequest request, Ec2RegionState ec2, string state = "available")
    {
        var (_, prefix) = Ec2Cidr.Parse(s.CidrBlock);

        // Five addresses per subnet are reserved (VPC user guide, "Subnet CIDR blocks").
        var available = (1 << (32 - prefix)) - 5 - ec2.Instances.Values.Count(i => i.SubnetId == s.SubnetId && i.State != Ec2InstanceState.Terminated);
        x.Element("subnetId", s.SubnetId)
            .Element("subnetArn", $"arn:aws:ec2:{request.Region}:{request.AccountId}:subnet/{s.SubnetId}")
            .Element("state", state)
            .Element("ownerId", request.AccountId)
            .Element("vpcId", s.VpcId)
            .Element("cidrBlock", s.CidrBlock)
            .ItemSet("ipv6CidrBlockAssociationSet", Array.Empty<string>(), (_, _) => { })
            .Element("availableIpAddressCount", available)
            .Element("availabilityZone", s.AvailabilityZone)
            .Element("availabilityZoneId", s.AvailabilityZoneId)
            .Element("defaultForAz", s.DefaultForAz)
            .Element("mapPublicIpOnLaunch", s.MapPublicIpOnLaunch)
            .Element("assignIpv6AddressOnCreation", false)
            .Element("ipv6Native", false)
            .Struct("privateDnsNameOptionsOnLaunch", o => o
                .Element("hostnameType", "ip-name")
                .Element("enableResourceNameDnsARecord", false)
                .Element("enableResourceNameDnsAAAARecord", false))
            .TagSet(s.Tags);
    }
}
