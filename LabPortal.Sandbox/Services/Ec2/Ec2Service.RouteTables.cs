using System.Xml;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Route tables: tables, their routes and subnet associations, with AWS's blackhole state for a route to a detached gateway.
/// </summary>
public sealed partial class Ec2Service
{
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
