using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// An account's EC2 resources in one region. Seeded with the default VPC <c>172.31.0.0/16</c>, one
/// default public subnet per Availability Zone (<c>172.31.0.0/20</c>, <c>172.31.16.0/20</c>, ... as
/// AWS lays them out) and the VPC's <c>default</c> security group.
/// </summary>
public sealed class Ec2RegionState : IRegionState
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
        return state;
    }

    public Ec2Vpc DefaultVpc => Vpcs.Values.First(v => v.IsDefault);

    public IEnumerable<SandboxResource> ListResources()
    {
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
