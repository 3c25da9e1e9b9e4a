using System.Xml;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Internet gateways: create, attach to a VPC, detach, delete and describe.
/// </summary>
public sealed partial class Ec2Service
{
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
}
