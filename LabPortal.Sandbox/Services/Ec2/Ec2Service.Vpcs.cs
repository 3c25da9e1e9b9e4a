using System.Xml;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// The VPC building blocks a lab builds by hand (issue 19): VPCs, subnets, internet gateways and
/// route tables, with AWS's checks and DependencyViolation rules. Whether a subnet reaches the
/// internet follows from them (<see cref="Ec2RegionState.HasInternetRoute"/>) and the data plane honours it.
/// </summary>
public sealed partial class Ec2Service
{
    // ---------------------------------------------------------------- VPCs

    private async Task<ApiResult> CreateVpcAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var cidr = p.GetRequired("CidrBlock");
        var tags = Ec2Tags.ReadSpecifications(p, "TagSpecification", "vpc").GetValueOrDefault("vpc") ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var tenancy = p.Get("InstanceTenancy") ?? "default";
        if (tenancy != "default")
        {
            throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(tenancy)}) for parameter instanceTenancy is invalid. The sandbox runs only default tenancy.");
        }

        ParseBlock(cidr, "cidrBlock");

        // A VPC's block is between /16 and /28 (VPC user guide, "VPC CIDR blocks").
        var (network, prefix) = Ec2Cidr.Parse(cidr);
        if (prefix is < 16 or > 28)
        {
            throw new ApiException("InvalidVpc.Range", $"The CIDR '{cidr}' is invalid.");
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Write<Ec2RegionState>(request.Region);
        var vpc = new Ec2Vpc
        {
            VpcId = Ec2Ids.New("vpc"),
            CidrBlock = Ec2Cidr.Format(network & Ec2Cidr.Mask(prefix)) + "/" + prefix.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DhcpOptionsId = ec2.DefaultVpc.DhcpOptionsId,
            CidrAssociationId = Ec2Ids.New("vpc-cidr-assoc"),
            Tags = tags,
        };
        ec2.Vpcs[vpc.VpcId] = vpc;
        var table = Ec2RegionState.NewMainRouteTable(vpc);
        ec2.RouteTables[table.RouteTableId] = table;

        // Every VPC comes with a default security group: members talk to each other, everything goes out.
        var group = new Ec2SecurityGroup { GroupId = Ec2Ids.New("sg"), GroupName = "default", Description = "default VPC security group", VpcId = vpc.VpcId, IsDefault = true };
        group.Ingress.Add(new Ec2SecurityGroupRule { RuleId = Ec2Ids.New("sgr"), IpProtocol = "-1", ReferencedGroupId = group.GroupId });
        group.Egress.Add(new Ec2SecurityGroupRule { RuleId = Ec2Ids.New("sgr"), IpProtocol = "-1", CidrIpv4 = "0.0.0.0/0" });
        ec2.SecurityGroups[group.GroupId] = group;

        // CreateVpc answers while the VPC is still "pending"; Describe shows it available.
        return ApiResult.Xml(w => w.Struct("vpc", x => WriteVpc(x, vpc, request.AccountId, "pending")));
    }

    private async Task<ApiResult> DeleteVpcAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var id = request.Parameters.GetRequired("VpcId");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var vpc = FindVpc(ec2, id);
        if (vpc.IsDefault)
        {
            // AWS lets an account delete its default VPC; the sandbox keeps it, every lab's first steps rely on it.
            throw new ApiException("OperationNotPermitted", $"The sandbox keeps the default VPC '{id}'.");
        }

        // Subnets, an attached gateway, route tables other than the main one and security groups other
        // than the default one must go first (VPC user guide, "Delete your VPC").
        var blocked = ec2.Subnets.Values.Any(s => s.VpcId == id)
            || ec2.GatewayOf(id) is not null
            || ec2.RouteTables.Values.Any(t => t.VpcId == id && !t.IsMain)
            || ec2.SecurityGroups.Values.Any(g => g.VpcId == id && !g.IsDefault);
        if (blocked)
        {
            throw new ApiException("DependencyViolation", $"The vpc '{id}' has dependencies and cannot be deleted.");
        }

        ec2 = scope.Write<Ec2RegionState>(request.Region);
        ec2.Vpcs.Remove(id);
        foreach (var table in ec2.RouteTables.Values.Where(t => t.VpcId == id).ToList())
        {
            ec2.RouteTables.Remove(table.RouteTableId);
        }

        foreach (var group in ec2.SecurityGroups.Values.Where(g => g.VpcId == id).ToList())
        {
            ec2.SecurityGroups.Remove(group.GroupId);
        }

        return ApiResult.Xml(w => w.Element("return", true));
    }

    private static Ec2Vpc FindVpc(Ec2RegionState ec2, string id)
    {
        if (!Ec2Ids.IsWellFormed(id, "vpc"))
        {
            throw new ApiException("InvalidVpcID.Malformed", $"Invalid id: \"{QueryParameters.Shorten(id)}\" (expecting \"vpc-...\")");
        }

        return ec2.Vpcs.GetValueOrDefault(id) ?? throw new ApiException("InvalidVpcID.NotFound", $"The vpc ID '{id}' does not exist");
    }

    private static void ParseBlock(string cidr, string parameter)
    {
        if (!Ec2Cidr.TryParse(cidr, out _, out _))
        {
            throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(cidr)}) for parameter {parameter} is invalid. This is not a valid CIDR block.");
        }
    }

    // ---------------------------------------------------------------- subnets

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

    // ---------------------------------------------------------------- internet gateways

    private async Task<ApiResult> CreateInternetGatewayAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var tags = Ec2Tags.ReadSpecifications(request.Parameters, "TagSpecification", "internet-gateway").GetValueOrDefault("internet-gateway")
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var gateway = new Ec2InternetGateway { InternetGatewayId = Ec2Ids.New("igw"), Tags = tags };
        scope.Write<Ec2RegionState>(request.Region).InternetGateways[gateway.InternetGatewayId] = gateway;
        return ApiResult.Xml(w => w.Struct("internetGateway", x => WriteGateway(x, gateway, request.AccountId)));
    }

    private async Task<ApiResult> AttachInternetGatewayAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var gatewayId = p.GetRequired("InternetGatewayId");
        var vpcId = p.GetRequired("VpcId");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var gateway = FindGateway(ec2, gatewayId);
        var vpc = FindVpc(ec2, vpcId);
        if (gateway.VpcId is not null)
        {
            throw new ApiException("Resource.AlreadyAssociated", $"resource {gatewayId} is already attached to network {gateway.VpcId}");
        }

        // A VPC has at most one internet gateway (VPC user guide, "Internet gateways").
        if (ec2.GatewayOf(vpc.VpcId) is { } other)
        {
            throw new ApiException("Resource.AlreadyAssociated", $"Network {vpc.VpcId} already has an internet gateway attached ({other.InternetGatewayId})");
        }

        scope.MarkChanged<Ec2RegionState>(request.Region);
        gateway.VpcId = vpc.VpcId;
        return ApiResult.Xml(w => w.Element("return", true));
    }

    private async Task<ApiResult> DetachInternetGatewayAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var gatewayId = p.GetRequired("InternetGatewayId");
        var vpcId = p.GetRequired("VpcId");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        _instances.PurgeExpired(scope, request.Region);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var gateway = FindGateway(ec2, gatewayId);
        FindVpc(ec2, vpcId);
        if (gateway.VpcId != vpcId)
        {
            throw new ApiException("Gateway.NotAttached", $"resource {gatewayId} is not attached to network {vpcId}");
        }

        if (gateway.IsDefault)
        {
            throw new ApiException("OperationNotPermitted", $"The sandbox keeps the default VPC's internet gateway '{gatewayId}'.");
        }

        // Public addresses (instances, internet-facing load balancers) need the gateway (DetachInternetGateway API reference).
        var mapped = ec2.Instances.Values.Any(i => i.VpcId == vpcId && i.PublicIpAddress is not null && i.State != Ec2InstanceState.Terminated)
            || _networkReferences.Any(r => r.HasPublicAddresses(scope, request.Region, vpcId));
        if (mapped)
        {
            throw new ApiException("DependencyViolation", $"Network {vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.");
        }

        scope.MarkChanged<Ec2RegionState>(request.Region);
        gateway.VpcId = null;
        return ApiResult.Xml(w => w.Element("return", true));
    }

    private async Task<ApiResult> DeleteInternetGatewayAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var gatewayId = request.Parameters.GetRequired("InternetGatewayId");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var gateway = FindGateway(ec2, gatewayId);
        if (gateway.VpcId is not null)
        {
            throw new ApiException("DependencyViolation", $"The internetGateway '{gatewayId}' has dependencies and cannot be deleted.");
        }

        ec2 = scope.Write<Ec2RegionState>(request.Region);
        ec2.InternetGateways.Remove(gatewayId);

        // Routes to a deleted gateway stay as blackholes on AWS; the sandbox drops them with it.
        foreach (var table in ec2.RouteTables.Values)
        {
            table.Routes.RemoveAll(r => r.GatewayId == gatewayId);
        }

        return ApiResult.Xml(w => w.Element("return", true));
    }

    private async Task<ApiResult> DescribeInternetGatewaysAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var ids = p.GetList("InternetGatewayId");
        var filters = p.GetFilters();
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        foreach (var id in ids)
        {
            FindGateway(ec2, id);
        }

        var gateways = ec2.InternetGateways.Values
            .Where(g => ids.Count == 0 || ids.Contains(g.InternetGatewayId))
            .Where(g => MatchesAll(filters, f => TagFilterValues(f, g.Tags) ?? f switch
            {
                "internet-gateway-id" => [g.InternetGatewayId],
                "attachment.vpc-id" => [g.VpcId],
                "attachment.state" => g.VpcId is null ? [] : ["available"],
                "owner-id" => [request.AccountId],
                _ => null,
            }))
            .ToList();
        var (page, next) = Paginate(gateways, p);
        return ApiResult.Xml(w =>
        {
            w.ItemSet("internetGatewaySet", page, (x, g) => WriteGateway(x, g, request.AccountId));
            w.Element("nextToken", next);
        });
    }

    private static Ec2InternetGateway FindGateway(Ec2RegionState ec2, string id)
    {
        if (!Ec2Ids.IsWellFormed(id, "igw"))
        {
            throw new ApiException("InvalidInternetGatewayId.Malformed", $"Invalid id: \"{QueryParameters.Shorten(id)}\" (expecting \"igw-...\")");
        }

        return ec2.InternetGateways.GetValueOrDefault(id) ?? throw new ApiException("InvalidInternetGatewayID.NotFound", $"The internetGateway ID '{id}' does not exist");
    }

    private static void WriteGateway(XmlWriter w, Ec2InternetGateway g, string accountId)
    {
        // "available" is what EC2 reports for an attached VPC gateway (InternetGatewayAttachment.State).
        w.ItemSet("attachmentSet", g.VpcId is null ? [] : new[] { g.VpcId }, (x, vpc) => x.Element("vpcId", vpc).Element("state", "available"))
            .Element("internetGatewayId", g.InternetGatewayId)
            .Element("ownerId", accountId);
        if (g.Tags.Count > 0)
        {
            w.TagSet(g.Tags);
        }
    }

    // ---------------------------------------------------------------- route tables

    private async Task<ApiResult> CreateRouteTableAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var vpcId = p.GetRequired("VpcId");
        var tags = Ec2Tags.ReadSpecifications(p, "TagSpecification", "route-table").GetValueOrDefault("route-table") ?? new Dictionary<string, string>(StringComparer.Ordinal);
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var vpc = FindVpc(ec2, vpcId);
        var table = new Ec2RouteTable { RouteTableId = Ec2Ids.New("rtb"), VpcId = vpc.VpcId, Tags = tags };
        table.Routes.Add(new Ec2Route { DestinationCidrBlock = vpc.CidrBlock, GatewayId = "local", Origin = "CreateRouteTable" });
        ec2 = scope.Write<Ec2RegionState>(request.Region);
        ec2.RouteTables[table.RouteTableId] = table;
        return ApiResult.Xml(w => w.Struct("routeTable", x => WriteRouteTable(x, table, ec2, request.AccountId)));
    }

    private async Task<ApiResult> CreateRouteAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var tableId = p.GetRequired("RouteTableId");
        var destination = p.Get("DestinationCidrBlock") ?? throw new ApiException("MissingParameter", "The request must contain the parameter destinationCidrBlock; the sandbox models IPv4 routes only.");
        var gatewayId = p.Get("GatewayId") ?? throw new ApiException("MissingParameter", "The request must contain the parameter gatewayId; the sandbox routes only to internet gateways.");
        ParseBlock(destination, "destinationCidrBlock");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var table = FindRouteTable(ec2, tableId);
        var gateway = FindGateway(ec2, gatewayId);
        if (gateway.VpcId != table.VpcId)
        {
            throw new ApiException("InvalidParameterValue", $"route table {tableId} and network gateway {gatewayId} belong to different networks");
        }

        if (table.Routes.Any(r => r.DestinationCidrBlock == destination))
        {
            throw new ApiException("RouteAlreadyExists", $"The route identified by {destination} already exists.");
        }

        scope.MarkChanged<Ec2RegionState>(request.Region);
        table.Routes.Add(new Ec2Route { DestinationCidrBlock = destination, GatewayId = gatewayId });
        return ApiResult.Xml(w => w.Element("return", true));
    }

    private async Task<ApiResult> DeleteRouteAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var tableId = p.GetRequired("RouteTableId");
        var destination = p.GetRequired("DestinationCidrBlock");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var table = FindRouteTable(scope.Read<Ec2RegionState>(request.Region), tableId);
        var route = table.Routes.FirstOrDefault(r => r.DestinationCidrBlock == destination)
            ?? throw new ApiException("InvalidRoute.NotFound", $"no route with destination-cidr-block {QueryParameters.Shorten(destination)} in route table {tableId}");
        if (route.GatewayId == "local")
        {
            throw new ApiException("InvalidParameterValue", $"cannot remove local route {destination} in route table {tableId}");
        }

        scope.MarkChanged<Ec2RegionState>(request.Region);
        table.Routes.Remove(route);
        return ApiResult.Xml(w => w.Element("return", true));
    }

    private async Task<ApiResult> AssociateRouteTableAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var tableId = p.GetRequired("RouteTableId");
        var subnetId = p.Get("SubnetId") ?? throw new ApiException("MissingParameter", "The request must contain the parameter subnetId; the sandbox associates route tables with subnets only.");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var table = FindRouteTable(ec2, tableId);
        var subnet = FindSubnet(ec2, subnetId);
        if (subnet.VpcId != table.VpcId)
        {
            throw new ApiException("InvalidParameterValue", $"Route table {tableId} and subnet {subnetId} belong to different networks");
        }

        // A subnet has at most one explicit association (VPC user guide, "Route tables").
        if (ec2.RouteTables.Values.Any(t => t.Associations.Any(a => a.SubnetId == subnetId)))
        {
            throw new ApiException("Resource.AlreadyAssociated", $"the specified association for route table {tableId} conflicts with an existing association");
        }

        scope.MarkChanged<Ec2RegionState>(request.Region);
        var association = new Ec2RouteTableAssociation { AssociationId = Ec2Ids.New("rtbassoc"), SubnetId = subnetId };
        table.Associations.Add(association);
        return ApiResult.Xml(w => w
            .Element("associationId", association.AssociationId)
            .Struct("associationState", s => s.Element("state", "associated")));
    }

    private async Task<ApiResult> DisassociateRouteTableAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var associationId = request.Parameters.GetRequired("AssociationId");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var table = ec2.RouteTables.Values.FirstOrDefault(t => t.Associations.Any(a => a.AssociationId == associationId))
            ?? throw new ApiException("InvalidAssociationID.NotFound", $"The association ID '{QueryParameters.Shorten(associationId)}' does not exist");
        var association = table.Associations.First(a => a.AssociationId == associationId);
        if (association.Main)
        {
            throw new ApiException("InvalidParameterValue", $"cannot disassociate the main route table association {associationId}");
        }

        scope.MarkChanged<Ec2RegionState>(request.Region);
        table.Associations.Remove(association);
        return ApiResult.Xml(w => w.Element("return", true));
    }

    private async Task<ApiResult> DeleteRouteTableAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var tableId = request.Parameters.GetRequired("RouteTableId");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var table = FindRouteTable(ec2, tableId);

        // The main table and a table still associated with subnets cannot be deleted (DeleteRouteTable API reference).
        if (table.Associations.Count > 0)
        {
            throw new ApiException("DependencyViolation", $"The routeTable '{tableId}' has dependencies and cannot be deleted.");
        }

        scope.Write<Ec2RegionState>(request.Region).RouteTables.Remove(tableId);
        return ApiResult.Xml(w => w.Element("return", true));
    }

    private async Task<ApiResult> DescribeRouteTablesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var ids = p.GetList("RouteTableId");
        var filters = p.GetFilters();
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        foreach (var id in ids)
        {
            FindRouteTable(ec2, id);
        }

        var tables = ec2.RouteTables.Values
            .Where(t => ids.Count == 0 || ids.Contains(t.RouteTableId))
            .Where(t => MatchesAll(filters, f => TagFilterValues(f, t.Tags) ?? f switch
            {
                "route-table-id" => [t.RouteTableId],
                "vpc-id" => [t.VpcId],
                "owner-id" => [request.AccountId],
                "association.main" => [Bool(t.IsMain)],
                "association.subnet-id" => t.Associations.Select(a => a.SubnetId),
                "association.route-table-association-id" => t.Associations.Select(a => (string?)a.AssociationId),
                "association.route-table-id" => t.Associations.Count == 0 ? [] : [t.RouteTableId],
                "route.destination-cidr-block" => t.Routes.Select(r => (string?)r.DestinationCidrBlock),
                "route.gateway-id" => t.Routes.Select(r => (string?)r.GatewayId),
                "route.origin" => t.Routes.Select(r => (string?)r.Origin),
                "route.state" => ["active"],
                _ => null,
            }))
            .ToList();
        var (page, next) = Paginate(tables, p);
        return ApiResult.Xml(w =>
        {
            w.ItemSet("routeTableSet", page, (x, t) => WriteRouteTable(x, t, ec2, request.AccountId));
            w.Element("nextToken", next);
        });
    }

    private static Ec2RouteTable FindRouteTable(Ec2RegionState ec2, string id)
    {
        if (!Ec2Ids.IsWellFormed(id, "rtb"))
        {
            throw new ApiException("InvalidRouteTableId.Malformed", $"Invalid id: \"{QueryParameters.Shorten(id)}\" (expecting \"rtb-...\")");
        }

        return ec2.RouteTables.GetValueOrDefault(id) ?? throw new ApiException("InvalidRouteTableID.NotFound", $"The routeTable ID '{id}' does not exist");
    }

    private static void WriteRouteTable(XmlWriter w, Ec2RouteTable t, Ec2RegionState ec2, string accountId)
    {
        w.Element("routeTableId", t.RouteTableId)
            .Element("vpcId", t.VpcId)
            .Element("ownerId", accountId)
            .ItemSet("routeSet", t.Routes, (x, r) => x
                .Element("destinationCidrBlock", r.DestinationCidrBlock)
                .Element("gatewayId", r.GatewayId)

                // A route to a gateway no longer attached to the VPC goes nowhere.
                .Element("state", r.GatewayId == "local" || ec2.InternetGateways.GetValueOrDefault(r.GatewayId)?.VpcId == t.VpcId ? "active" : "blackhole")
                .Element("origin", r.Origin))
            .ItemSet("associationSet", t.Associations, (x, a) => x
                .Element("main", a.Main)
                .Element("routeTableAssociationId", a.AssociationId)
                .Element("routeTableId", t.RouteTableId)
                .Element("subnetId", a.SubnetId)
                .Struct("associationState", s => s.Element("state", "associated")))
            .ItemSet("propagatingVgwSet", Array.Empty<string>(), (_, _) => { });
        if (t.Tags.Count > 0)
        {
            w.TagSet(t.Tags);
        }
    }
}
