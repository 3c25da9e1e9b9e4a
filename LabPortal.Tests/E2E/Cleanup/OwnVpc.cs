using System.Globalization;
using Amazon.EC2.Model;
using LabPortal.Aws.Elbv2;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using Ec2Filter = Amazon.EC2.Model.Filter;
using Ec2Tag = Amazon.EC2.Model.Tag;
using ElbAction = LabPortal.Aws.Elbv2.Action;
using ElbTag = LabPortal.Aws.Elbv2.Tag;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// Builds, with the portal's own clients, what a follow-up lab builds: a VPC of its own with two
/// public subnets in two zones, an internet gateway, a route table sending 0.0.0.0/0 to it and
/// associated with both subnets, and optionally Lab 1's resources inside it (two security groups,
/// two servers, a target group, an internet-facing load balancer and its listener). Every resource
/// carries the run's tags; <see cref="Ledger"/> holds them in creation order, as the steps write it.
/// </summary>
public sealed class OwnVpc
{
    public const string Region = "ap-northeast-2";

    private readonly List<(ResourceKind Kind, string Id)> _created = [];

    public string VpcId { get; private set; } = "";

    public List<string> SubnetIds { get; } = [];

    public string GatewayId { get; private set; } = "";

    public string RouteTableId { get; private set; } = "";

    /// <summary>The VPC's main route table (made by AWS with the VPC, never the run's to delete).</summary>
    public string MainRouteTableId { get; private set; } = "";

    public IReadOnlyList<(ResourceKind Kind, string Id)> Created => _created;

    public static async Task<OwnVpc> BuildAsync(AwsClients clients, int runId, int learnerId, bool withLab1, string cidrPrefix = "10.20")
    {
        var vpc = new OwnVpc();
        var run = runId.ToString(CultureInfo.InvariantCulture);
        var learner = learnerId.ToString(CultureInfo.InvariantCulture);
        List<TagSpecification> Tags(string type, string name) =>
            [new TagSpecification { ResourceType = type, Tags = [new Ec2Tag("Name", name), new Ec2Tag("lab-portal:run", run), new Ec2Tag("lab-portal:learner", learner), new Ec2Tag("lab-portal:lab", "alb-two-web-servers")] }];

        vpc.VpcId = (await clients.Ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = cidrPrefix + ".0.0/16", TagSpecifications = Tags("vpc", "lab-vpc") })).Vpc!.VpcId!;
        vpc._created.Add((ResourceKind.Vpc, vpc.VpcId));
        foreach (var (zone, third) in new[] { ("a", 1), ("c", 2) })
        {
            var subnet = (await clients.Ec2.CreateSubnetAsync(new CreateSubnetRequest
            {
                VpcId = vpc.VpcId,
                CidrBlock = $"{cidrPrefix}.{third}.0/24",
                AvailabilityZone = Region + zone,
                TagSpecifications = Tags("subnet", "public-" + zone),
            })).Subnet!.SubnetId!;
            await clients.Ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = subnet, MapPublicIpOnLaunch = true });
            vpc.SubnetIds.Add(subnet);
            vpc._created.Add((ResourceKind.Subnet, subnet));
        }

        vpc.GatewayId = (await clients.Ec2.CreateInternetGatewayAsync(new CreateInternetGatewayRequest { TagSpecifications = Tags("internet-gateway", "lab-igw") })).InternetGateway!.InternetGatewayId!;
        vpc._created.Add((ResourceKind.InternetGateway, vpc.GatewayId));
        await clients.Ec2.AttachInternetGatewayAsync(new AttachInternetGatewayRequest { InternetGatewayId = vpc.GatewayId, VpcId = vpc.VpcId });
        vpc.RouteTableId = (await clients.Ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = vpc.VpcId, TagSpecifications = Tags("route-table", "public-routes") })).RouteTable!.RouteTableId!;
        vpc._created.Add((ResourceKind.RouteTable, vpc.RouteTableId));
        await clients.Ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = vpc.RouteTableId, DestinationCidrBlock = "0.0.0.0/0", GatewayId = vpc.GatewayId });
        foreach (var subnet in vpc.SubnetIds)
        {
            await clients.Ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = vpc.RouteTableId, SubnetId = subnet });
        }

        var tables = await clients.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [new Ec2Filter("vpc-id", [vpc.VpcId]), new Ec2Filter("association.main", ["true"])] });
        vpc.MainRouteTableId = tables.RouteTables![0].RouteTableId!;

        if (withLab1)
        {
            await vpc.AddLab1Async(clients, Tags, run, learner);
        }

        return vpc;
    }

    /// <summary>The run's ledger: every resource created, in creation order.</summary>
    public IEnumerable<LedgerEntry> Ledger(DateTime now) =>
        _created.Select(c => new LedgerEntry { Kind = c.Kind, Name = c.Id, ResourceId = c.Id, Region = Region, State = LedgerState.Created, CreatedAtUtc = now, CompletedAtUtc = now });

    private async Task AddLab1Async(AwsClients clients, Func<string, string, List<TagSpecification>> tags, string run, string learner)
    {
        var web = (await clients.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "web-sg", Description = "web", VpcId = VpcId, TagSpecifications = tags("security-group", "web-sg") })).GroupId!;
        _created.Add((ResourceKind.SecurityGroup, web));
        var alb = (await clients.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "web-alb-sg", Description = "alb", VpcId = VpcId, TagSpecifications = tags("security-group", "web-alb-sg") })).GroupId!;
        _created.Add((ResourceKind.SecurityGroup, alb));
        await clients.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = alb, IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 80, ToPort = 80, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }] });
        await clients.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = web, IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 80, ToPort = 80, UserIdGroupPairs = [new UserIdGroupPair { GroupId = alb }] }] });

        // The sandbox's Amazon Linux 2023 image; moto has its own catalogue, where any Amazon image will do.
        var images = (await clients.Ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["amazon"], Filters = [new Ec2Filter("name", ["al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64"])] })).Images;
        var image = images is { Count: > 0 } ? images[0].ImageId! : (await clients.Ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["amazon"] })).Images![0].ImageId!;
        var instances = new List<string>();
        foreach (var subnet in SubnetIds)
        {
            var launched = await clients.Ec2.RunInstancesAsync(new RunInstancesRequest
            {
                ImageId = image,
                InstanceType = "t3.micro",
                MinCount = 1,
                MaxCount = 1,
                SubnetId = subnet,
                SecurityGroupIds = [web],
                TagSpecifications = tags("instance", "web-" + instances.Count),
            });
            instances.Add(launched.Reservation!.Instances![0].InstanceId!);
            _created.Add((ResourceKind.Instance, instances[^1]));
        }

        // Only running instances can be registered (RegisterTargets: InvalidTarget): wait for the boot.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = instances })).Reservations!.SelectMany(r => r.Instances ?? []).Any(i => i.State?.Name != "running"))
        {
            Assert.True(DateTime.UtcNow < deadline, "The instances never reached running.");
            await Task.Delay(200);
        }

        List<ElbTag> elbTags(string name) => [new ElbTag { Key = "Name", Value = name }, new ElbTag { Key = "lab-portal:run", Value = run }, new ElbTag { Key = "lab-portal:learner", Value = learner }];
        var targetGroup = (await clients.Elbv2.CreateTargetGroupAsync(new CreateTargetGroupRequest { Name = "web-tg", Protocol = "HTTP", Port = 80, VpcId = VpcId, TargetType = "instance", Tags = elbTags("web-tg") })).TargetGroups![0].TargetGroupArn!;
        _created.Add((ResourceKind.TargetGroup, targetGroup));
        await clients.Elbv2.RegisterTargetsAsync(new RegisterTargetsRequest { TargetGroupArn = targetGroup, Targets = [.. instances.Select(i => new TargetDescription { Id = i })] });
        var balancer = (await clients.Elbv2.CreateLoadBalancerAsync(new CreateLoadBalancerRequest
        {
            Name = "web-alb",
            Type = "application",
            Scheme = "internet-facing",
            Subnets = [.. SubnetIds],
            SecurityGroups = [alb],
            Tags = elbTags("web-alb"),
        })).LoadBalancers![0].LoadBalancerArn!;
        _created.Add((ResourceKind.LoadBalancer, balancer));
        var listener = (await clients.Elbv2.CreateListenerAsync(new CreateListenerRequest
        {
            LoadBalancerArn = balancer,
            Protocol = "HTTP",
            Port = 80,
            DefaultActions = [new ElbAction { Type = "forward", TargetGroupArn = targetGroup }],
        })).Listeners![0].ListenerArn!;
        _created.Add((ResourceKind.Listener, listener));
    }
}
