using Ec2Api = Amazon.EC2.Model;
using ElbApi = LabPortal.Aws.Elbv2;

namespace LabPortal.Tests.Aws.Contract;

/// <summary>
/// Seed lab 000 from the caller's side: a security group, two web servers with user data and tags, a
/// target group, an internet-facing ALB in the a and c zones, an HTTP listener, a rule, then teardown
/// in dependency order. Written once; every lane derives from it.
/// </summary>
public abstract class Lab1ContractTests(IAwsTestServer server)
{
    private const string UserData = """
        #!/bin/bash
        dnf install -y nginx
        echo "<h1>$(curl -s http://169.254.169.254/latest/meta-data/instance-id)</h1>" > /usr/share/nginx/html/index.html
        systemctl enable --now nginx
        """;

    private readonly ContractContext _context = new(server);

    [Fact]
    public async Task Lab1_sequence_builds_and_tears_down_when_run_end_to_end()
    {
        var ec2 = _context.Clients.Ec2;
        var elb = _context.Clients.Elbv2;
        var run = ContractContext.Unique("run");
        var net = await LabNetwork.DiscoverAsync(_context);

        var regions = await ec2.DescribeRegionsAsync(new Ec2Api.DescribeRegionsRequest());
        Assert.Contains(regions.Regions!, r => r.RegionName == _context.Server.Region);
        var zones = await ec2.DescribeAvailabilityZonesAsync(new Ec2Api.DescribeAvailabilityZonesRequest());
        Assert.Contains(zones.AvailabilityZones!, z => z.ZoneName == _context.Server.Region + "a");

        // Security group: HTTP from anywhere.
        var sgName = ContractContext.Unique("lab-web-sg");
        var sg = await ec2.CreateSecurityGroupAsync(new Ec2Api.CreateSecurityGroupRequest
        {
            GroupName = sgName,
            Description = "Lab web servers",
            VpcId = net.VpcId,
        });
        Assert.StartsWith("sg-", sg.GroupId, StringComparison.Ordinal);
        await ec2.AuthorizeSecurityGroupIngressAsync(new Ec2Api.AuthorizeSecurityGroupIngressRequest
        {
            GroupId = sg.GroupId,
            IpPermissions = [new Ec2Api.IpPermission { IpProtocol = "tcp", FromPort = 80, ToPort = 80, Ipv4Ranges = [new Ec2Api.IpRange { CidrIp = "0.0.0.0/0" }] }],
        });
        var described = await ec2.DescribeSecurityGroupsAsync(new Ec2Api.DescribeSecurityGroupsRequest { GroupIds = [sg.GroupId!] });
        var group = Assert.Single(described.SecurityGroups!);
        Assert.Equal(sgName, group.GroupName);
        Assert.Contains(group.IpPermissions!, p => p.FromPort == 80 && p.Ipv4Ranges!.Any(r => r.CidrIp == "0.0.0.0/0"));

        // Two web servers, one per zone, with user data and tags.
        var instanceIds = new List<string>();
        foreach (var (subnet, index) in new[] { (net.SubnetA, 1), (net.SubnetC, 2) })
        {
            var reservation = await ec2.RunInstancesAsync(new Ec2Api.RunInstancesRequest
            {
                ImageId = net.ImageId,
                InstanceType = "t3.micro",
                MinCount = 1,
                MaxCount = 1,
                SubnetId = subnet,
                SecurityGroupIds = [sg.GroupId!],
                UserData = LabUserData.Encode(UserData),
                ClientToken = $"{run}-web-{index}",
                TagSpecifications =
                [
                    new Ec2Api.TagSpecification
                    {
                        ResourceType = "instance",
                        Tags = [new Ec2Api.Tag { Key = "Name", Value = $"lab-web-{index}" }, new Ec2Api.Tag { Key = "lab-portal:run", Value = run }],
                    },
                ],
            });
            instanceIds.Add(Assert.Single(reservation.Reservation.Instances!).InstanceId!);
        }

        var found = new List<Ec2Api.Instance>();
        await foreach (var page in ec2.Paginators.DescribeInstances(new Ec2Api.DescribeInstancesRequest
        {
            Filters = [new Ec2Api.Filter { Name = "tag:lab-portal:run", Values = [run] }],
            MaxResults = 5,
        }).Responses)
        {
            found.AddRange(page.Reservations!.SelectMany(r => r.Instances!));
        }

        Assert.Equal(instanceIds.Order(), found.Select(i => i.InstanceId!).Order());
        await WaitForStateAsync(instanceIds, "running");
        Assert.All(found, i => Assert.Contains(i.Tags!, t => t.Key == "lab-portal:run" && t.Value == run));

        await ec2.CreateTagsAsync(new Ec2Api.CreateTagsRequest { Resources = instanceIds, Tags = [new Ec2Api.Tag { Key = "lab-portal:learner", Value = "kim" }] });
        var tags = await ec2.DescribeTagsAsync(new Ec2Api.DescribeTagsRequest { Filters = [new Ec2Api.Filter { Name = "resource-id", Values = [instanceIds[0]] }] });
        Assert.Contains(tags.Tags!, t => t.Key == "lab-portal:learner" && t.Value == "kim");
        await ec2.DeleteTagsAsync(new Ec2Api.DeleteTagsRequest { Resources = instanceIds, Tags = [new Ec2Api.Tag { Key = "lab-portal:learner" }] });
        var console = await ec2.GetConsoleOutputAsync(new Ec2Api.GetConsoleOutputRequest { InstanceId = instanceIds[0] });
        Assert.Equal(instanceIds[0], console.InstanceId);

        // Target group with both servers.
        var tgName = ContractContext.Unique("lab-web-tg");
        var tg = Assert.Single((await elb.CreateTargetGroupAsync(new ElbApi.CreateTargetGroupRequest
        {
            Name = tgName,
            Protocol = "HTTP",
            Port = 80,
            VpcId = net.VpcId,
            HealthCheckPath = "/",
            TargetType = "instance",
            Tags = [new ElbApi.Tag { Key = "lab-portal:run", Value = run }],
        })).TargetGroups!);
        Assert.Equal(tgName, tg.TargetGroupName);
        await elb.ModifyTargetGroupAttributesAsync(new ElbApi.ModifyTargetGroupAttributesRequest
        {
            TargetGroupArn = tg.TargetGroupArn,
            Attributes = [new ElbApi.TargetGroupAttribute { Key = "deregistration_delay.timeout_seconds", Value = "30" }],
        });
        var tgAttributes = await elb.DescribeTargetGroupAttributesAsync(new ElbApi.DescribeTargetGroupAttributesRequest { TargetGroupArn = tg.TargetGroupArn });
        Assert.Contains(tgAttributes.Attributes!, a => a.Key == "deregistration_delay.timeout_seconds" && a.Value == "30");
        await elb.RegisterTargetsAsync(new ElbApi.RegisterTargetsRequest
        {
            TargetGroupArn = tg.TargetGroupArn,
            Targets = [.. instanceIds.Select(id => new ElbApi.TargetDescription { Id = id, Port = 80 })],
        });
        var health = await elb.DescribeTargetHealthAsync(new ElbApi.DescribeTargetHealthRequest { TargetGroupArn = tg.TargetGroupArn });
        Assert.Equal(instanceIds.Order(), health.TargetHealthDescriptions!.Select(d => d.Target!.Id!).Order());
        Assert.All(health.TargetHealthDescriptions!, d => Assert.False(string.IsNullOrEmpty(d.TargetHealth!.State)));

        // Load balancer in the a and c zones, HTTP listener forwarding to the group, one rule.
        var lbName = ContractContext.Unique("lab-web-alb");
        var lb = Assert.Single((await elb.CreateLoadBalancerAsync(new ElbApi.CreateLoadBalancerRequest
        {
            Name = lbName,
            Subnets = [net.SubnetA, net.SubnetC],
            SecurityGroups = [sg.GroupId!],
            Scheme = "internet-facing",
            Type = "application",
        })).LoadBalancers!);
        Assert.False(string.IsNullOrEmpty(lb.DNSName));
        Assert.Equal(2, lb.AvailabilityZones!.Count);
        var lbAttributes = await elb.DescribeLoadBalancerAttributesAsync(new ElbApi.DescribeLoadBalancerAttributesRequest { LoadBalancerArn = lb.LoadBalancerArn });
        Assert.NotEmpty(lbAttributes.Attributes!);

        var listener = Assert.Single((await elb.CreateListenerAsync(new ElbApi.CreateListenerRequest
        {
            LoadBalancerArn = lb.LoadBalancerArn,
            Protocol = "HTTP",
            Port = 80,
            DefaultActions = [new ElbApi.Action { Type = "forward", TargetGroupArn = tg.TargetGroupArn }],
        })).Listeners!);
        var rule = Assert.Single((await elb.CreateRuleAsync(new ElbApi.CreateRuleRequest
        {
            ListenerArn = listener.ListenerArn,
            Priority = 10,
            Conditions = [new ElbApi.RuleCondition { Field = "path-pattern", PathPatternConfig = new ElbApi.PathPatternConditionConfig { Values = ["/maintenance/*"] } }],
            Actions = [new ElbApi.Action { Type = "fixed-response", FixedResponseConfig = new ElbApi.FixedResponseActionConfig { StatusCode = "503", ContentType = "text/plain", MessageBody = "maintenance" } }],
        })).Rules!);
        Assert.Equal("10", rule.Priority);
        await elb.ModifyRuleAsync(new ElbApi.ModifyRuleRequest
        {
            RuleArn = rule.RuleArn,
            Conditions = [new ElbApi.RuleCondition { Field = "host-header", HostHeaderConfig = new ElbApi.HostHeaderConditionConfig { Values = ["maintenance.example.com"] } }],
        });
        var rules = await elb.DescribeRulesAsync(new ElbApi.DescribeRulesRequest { ListenerArn = listener.ListenerArn });
        Assert.Contains(rules.Rules!, r => r.RuleArn == rule.RuleArn);
        Assert.Contains(rules.Rules!, r => r.IsDefault == true);
        await elb.ModifyListenerAsync(new ElbApi.ModifyListenerRequest
        {
            ListenerArn = listener.ListenerArn,
            DefaultActions =
            [
                new ElbApi.Action
                {
                    Type = "forward",
                    ForwardConfig = new ElbApi.ForwardActionConfig { TargetGroups = [new ElbApi.TargetGroupTuple { TargetGroupArn = tg.TargetGroupArn, Weight = 100 }] },
                },
            ],
        });

        var lbs = await elb.DescribeLoadBalancersAsync(new ElbApi.DescribeLoadBalancersRequest { Names = [lbName] });
        Assert.Equal(lb.LoadBalancerArn, Assert.Single(lbs.LoadBalancers!).LoadBalancerArn);
        var listeners = await elb.DescribeListenersAsync(new ElbApi.DescribeListenersRequest { LoadBalancerArn = lb.LoadBalancerArn });
        Assert.Equal(80, Assert.Single(listeners.Listeners!).Port);
        var tgs = await elb.DescribeTargetGroupsAsync(new ElbApi.DescribeTargetGroupsRequest { Names = [tgName] });
        Assert.Contains(lb.LoadBalancerArn!, Assert.Single(tgs.TargetGroups!).LoadBalancerArns!);
        await elb.AddTagsAsync(new ElbApi.AddTagsRequest { ResourceArns = [lb.LoadBalancerArn!], Tags = [new ElbApi.Tag { Key = "lab-portal:run", Value = run }] });
        var lbTags = await elb.DescribeTagsAsync(new ElbApi.DescribeTagsRequest { ResourceArns = [lb.LoadBalancerArn!] });
        Assert.Contains(Assert.Single(lbTags.TagDescriptions!).Tags!, t => t.Key == "lab-portal:run" && t.Value == run);
        await elb.RemoveTagsAsync(new ElbApi.RemoveTagsRequest { ResourceArns = [lb.LoadBalancerArn!], TagKeys = ["lab-portal:run"] });

        // Teardown in dependency order: rule, listener, load balancer, targets, target group, instances, security group.
        await elb.DeleteRuleAsync(new ElbApi.DeleteRuleRequest { RuleArn = rule.RuleArn });
        await elb.DeleteListenerAsync(new ElbApi.DeleteListenerRequest { ListenerArn = listener.ListenerArn });
        await elb.DeleteLoadBalancerAsync(new ElbApi.DeleteLoadBalancerRequest { LoadBalancerArn = lb.LoadBalancerArn });
        await elb.DeregisterTargetsAsync(new ElbApi.DeregisterTargetsRequest
        {
            TargetGroupArn = tg.TargetGroupArn,
            Targets = [.. instanceIds.Select(id => new ElbApi.TargetDescription { Id = id, Port = 80 })],
        });
        await ContractContext.RetryWhileAsync(() => elb.DeleteTargetGroupAsync(new ElbApi.DeleteTargetGroupRequest { TargetGroupArn = tg.TargetGroupArn }), "ResourceInUse");
        await ec2.StopInstancesAsync(new Ec2Api.StopInstancesRequest { InstanceIds = [instanceIds[0]] });
        await WaitForStateAsync([instanceIds[0]], "stopped");
        await ec2.StartInstancesAsync(new Ec2Api.StartInstancesRequest { InstanceIds = [instanceIds[0]] });
        await WaitForStateAsync([instanceIds[0]], "running");
        var terminated = await ec2.TerminateInstancesAsync(new Ec2Api.TerminateInstancesRequest { InstanceIds = instanceIds });
        Assert.Equal(2, terminated.TerminatingInstances!.Count);
        await WaitForStateAsync(instanceIds, "terminated");
        await ec2.RevokeSecurityGroupIngressAsync(new Ec2Api.RevokeSecurityGroupIngressRequest
        {
            GroupId = sg.GroupId,
            IpPermissions = [new Ec2Api.IpPermission { IpProtocol = "tcp", FromPort = 80, ToPort = 80, Ipv4Ranges = [new Ec2Api.IpRange { CidrIp = "0.0.0.0/0" }] }],
        });
        await ContractContext.RetryWhileAsync(() => ec2.DeleteSecurityGroupAsync(new Ec2Api.DeleteSecurityGroupRequest { GroupId = sg.GroupId }), "DependencyViolation", "InvalidGroup.InUse");

        var gone = await ec2.DescribeSecurityGroupsAsync(new Ec2Api.DescribeSecurityGroupsRequest { Filters = [new Ec2Api.Filter { Name = "group-name", Values = [sgName] }] });
        Assert.Empty(gone.SecurityGroups ?? []);
    }

    private Task<Ec2Api.DescribeInstancesResponse> WaitForStateAsync(IReadOnlyList<string> instanceIds, string state) =>
        ContractContext.EventuallyAsync(
            () => _context.Clients.Ec2.DescribeInstancesAsync(new Ec2Api.DescribeInstancesRequest { InstanceIds = [.. instanceIds] }),
            r => r.Reservations!.SelectMany(x => x.Instances!).All(i => i.State!.Name == state),
            $"instances {string.Join(", ", instanceIds)} to be {state}");
}
