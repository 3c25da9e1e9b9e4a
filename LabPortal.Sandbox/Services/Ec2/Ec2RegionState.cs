using System.Text.Json.Serialization;
using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// An account's EC2 resources in one region. Seeded with the default VPC <c>172.31.0.0/16</c>, one
/// default public subnet per Availability Zone (<c>172.31.0.0/20</c>, <c>172.31.16.0/20</c>, ... as
/// AWS lays them out) and the VPC's <c>default</c> security group.
/// </summary>
public sealed class Ec2RegionState : IRegionState, IJsonOnDeserialized
{
    public const string SectionName = "ec2";

    public string Region { get; set; } = string.Empty;

    public Dictionary<string, Ec2Vpc> Vpcs { get; set; } = [];

    public Dictionary<string, Ec2Subnet> Subnets { get; set; } = [];

    public Dictionary<string, Ec2SecurityGroup> SecurityGroups { get; set; } = [];

    public Dictionary<string, Ec2Instance> Instances { get; set; } = [];

    public Dictionary<string, Ec2LaunchTemplate> LaunchTemplates { get; set; } = [];

    public Dictionary<string, Ec2ClientToken> ClientTokens { get; set; } = [];

    public Dictionary<string, Ec2KeyPair> KeyPairs { get; set; } = [];

    public Dictionary<string, Ec2InternetGateway> InternetGateways { get; set; } = [];

    public Dictionary<string, Ec2RouteTable> RouteTables { get; set; } = [];

    public static Ec2RegionState Create(string region)
    {
        var state = new Ec2RegionState { Region = region };
        var vpc = new Ec2Vpc
        {
            VpcId = Ec2Ids.New("vpc"),
            CidrBlock = "172.31.0.0/16",
            IsDefault = true,
            DhcpOptionsId = Ec2Ids.New("dopt"),
            CidrAssociationId = Ec2Ids.New("vpc-cidr-assoc"),
        };
        state.Vpcs[vpc.VpcId] = vpc;
        var zones = Ec2Regions.AvailabilityZones(region);
        for (var i = 0; i < zones.Count; i++)
        {
            var subnet = new Ec2Subnet
            {
                SubnetId = Ec2Ids.New("subnet"),
                VpcId = vpc.VpcId,
                CidrBlock = $"172.31.{i * 16}.0/20",
                AvailabilityZone = zones[i],
                AvailabilityZoneId = Ec2Regions.ZoneId(zones[i]),
                DefaultForAz = true,
                MapPublicIpOnLaunch = true,
            };
            state.Subnets[subnet.SubnetId] = subnet;
        }

        var group = new Ec2SecurityGroup
        {
            GroupId = Ec2Ids.New("sg"),
            GroupName = "default",
            Description = "default VPC security group",
            VpcId = vpc.VpcId,
            IsDefault = true,
        };

        // A default group lets members talk to each other and everything out (VPC user guide, "Default security groups").
        group.Ingress.Add(new Ec2SecurityGroupRule { RuleId = Ec2Ids.New("sgr"), IpProtocol = "-1", ReferencedGroupId = group.GroupId });
        group.Egress.Add(new Ec2SecurityGroupRule { RuleId = Ec2Ids.New("sgr"), IpProtocol = "-1", CidrIpv4 = "0.0.0.0/0" });
        state.SecurityGroups[group.GroupId] = group;
        state.EnsureDefaultNetwork();
        return state;
    }

    /// <summary>
    /// The default VPC's internet gateway and main route table (local route plus 0.0.0.0/0 to the
    /// gateway), as every AWS default VPC has them. States saved before VPCs could be built lack
    /// them; they are added when such a state is read.
    /// </summary>
    public void OnDeserialized() => EnsureDefaultNetwork();

    private void EnsureDefaultNetwork()
    {
        var vpc = Vpcs.Values.FirstOrDefault(v => v.IsDefault);
        if (vpc is null || RouteTables.Values.Any(t => t.VpcId == vpc.VpcId))
        {
            return;
        }

        var gateway = new Ec2InternetGateway { InternetGatewayId = Ec2Ids.New("igw"), VpcId = vpc.VpcId, IsDefault = true };
        InternetGateways[gateway.InternetGatewayId] = gateway;
        var table = NewMainRouteTable(vpc);
        table.Routes.Add(new Ec2Route { DestinationCidrBlock = "0.0.0.0/0", GatewayId = gateway.InternetGatewayId });
        RouteTables[table.RouteTableId] = table;
    }

    /// <summary>A VPC's main route table with its local route (VPC user guide, "Main route table").</summary>
    public static Ec2RouteTable NewMainRouteTable(Ec2Vpc vpc)
    {
        ArgumentNullException.ThrowIfNull(vpc);
        var table = new Ec2RouteTable { RouteTableId = Ec2Ids.New("rtb"), VpcId = vpc.VpcId };
        table.Routes.Add(new Ec2Route { DestinationCidrBlock = vpc.CidrBlock, GatewayId = "local", Origin = "CreateRouteTable" });
        table.Associations.Add(new Ec2RouteTableAssociation { AssociationId = Ec2Ids.New("rtbassoc"), Main = true });
        return table;
    }

    /// <summary>The route table a subnet uses: its explicit association, else its VPC's main table.</summary>
    public Ec2RouteTable? RouteTableOf(Ec2Subnet subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        return RouteTables.Values.FirstOrDefault(t => t.Associations.Any(a => a.SubnetId == subnet.SubnetId))
            ?? RouteTables.Values.FirstOrDefault(t => t.VpcId == subnet.VpcId && t.IsMain);
    }

    /// <summary>The internet gateway attached to the VPC, if any.</summary>
    public Ec2InternetGateway? GatewayOf(string vpcId) => InternetGateways.Values.FirstOrDefault(g => g.VpcId == vpcId);

    /// <summary>
    /// True when the subnet's route table sends 0.0.0.0/0 to an internet gateway attached to its VPC:
    /// the subnet is public (VPC user guide, "Subnet types").
    /// </summary>
    public bool HasInternetRoute(Ec2Subnet subnet)
    {
        var gateway = GatewayOf(subnet.VpcId);
        var table = RouteTableOf(subnet);
        return gateway is not null && table is not null
            && table.Routes.Any(r => r.GatewayId == gateway.InternetGatewayId && r.DestinationCidrBlock == "0.0.0.0/0");
    }

    public Ec2Vpc DefaultVpc => Vpcs.Values.First(v => v.IsDefault);

    public IEnumerable<SandboxResource> ListResources()
    {
        foreach (var vpc in Vpcs.Values.Where(v => !v.IsDefault))
        {
            yield return new SandboxResource(SectionName, Region, "vpc", vpc.VpcId);
        }

        foreach (var subnet in Subnets.Values.Where(s => !s.DefaultForAz))
        {
            yield return new SandboxResource(SectionName, Region, "subnet", subnet.SubnetId);
        }

        foreach (var gateway in InternetGateways.Values.Where(g => !g.IsDefault))
        {
            yield return new SandboxResource(SectionName, Region, "internet-gateway", gateway.InternetGatewayId);
        }

        // A VPC's main table goes with the VPC; tables users create are their own resources.
        foreach (var table in RouteTables.Values.Where(t => !t.IsMain))
        {
            yield return new SandboxResource(SectionName, Region, "route-table", table.RouteTableId);
        }

        foreach (var group in SecurityGroups.Values.Where(g => !g.IsDefault))
        {
            yield return new SandboxResource(SectionName, Region, "security-group", group.GroupId);
        }

        foreach (var instance in Instances.Values.Where(i => i.State != Ec2InstanceState.Terminated))
        {
            yield return new SandboxResource(SectionName, Region, "instance", instance.InstanceId);
        }

        foreach (var key in KeyPairs.Values)
        {
            yield return new SandboxResource(SectionName, Region, "key-pair", key.KeyPairId);
        }

        foreach (var template in LaunchTemplates.Values)
        {
            yield return new SandboxResource(SectionName, Region, "launch-template", template.LaunchTemplateId);
        }
    }
}
