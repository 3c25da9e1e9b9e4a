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
}
