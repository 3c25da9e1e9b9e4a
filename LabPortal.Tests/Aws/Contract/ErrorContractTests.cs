using Amazon.Runtime;
using AsgApi = LabPortal.Aws.AutoScaling;
using Ec2Api = Amazon.EC2.Model;
using ElbApi = LabPortal.Aws.Elbv2;
using SsmApi = Amazon.SimpleSystemsManagement.Model;

namespace LabPortal.Tests.Aws.Contract;

/// <summary>The error codes a student meets in the seed labs, as every lane must report them.</summary>
public abstract class ErrorContractTests(IAwsTestServer server)
{
    private readonly ContractContext _context = new(server);

    [Fact]
    public async Task CreateSecurityGroup_fails_with_InvalidGroup_Duplicate_when_name_is_taken()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var name = ContractContext.Unique("dup-sg");
        await _context.Clients.Ec2.CreateSecurityGroupAsync(new Ec2Api.CreateSecurityGroupRequest { GroupName = name, Description = "first", VpcId = net.VpcId });

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() =>
            _context.Clients.Ec2.CreateSecurityGroupAsync(new Ec2Api.CreateSecurityGroupRequest { GroupName = name, Description = "second", VpcId = net.VpcId }));

        Assert.Equal("InvalidGroup.Duplicate", ex.ErrorCode);
        Assert.IsType<Amazon.EC2.AmazonEC2Exception>(ex);
        Assert.Equal(400, (int)ex.StatusCode);
    }

    [Fact]
    public async Task DescribeSecurityGroups_fails_with_InvalidGroup_NotFound_when_id_is_unknown()
    {
        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() =>
            _context.Clients.Ec2.DescribeSecurityGroupsAsync(new Ec2Api.DescribeSecurityGroupsRequest { GroupIds = ["sg-0000000000000000f"] }));

        Assert.Equal("InvalidGroup.NotFound", ex.ErrorCode);
        Assert.IsType<Amazon.EC2.AmazonEC2Exception>(ex);
    }

    [Fact]
    public async Task TerminateInstances_fails_with_InvalidInstanceID_NotFound_when_id_is_unknown()
    {
        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() =>
            _context.Clients.Ec2.TerminateInstancesAsync(new Ec2Api.TerminateInstancesRequest { InstanceIds = ["i-0000000000000000f"] }));

        Assert.Equal("InvalidInstanceID.NotFound", ex.ErrorCode);
        Assert.IsType<Amazon.EC2.AmazonEC2Exception>(ex);
    }

    [Fact]
    public async Task CreateTargetGroup_fails_with_ValidationError_when_name_has_underscore()
    {
        var net = await LabNetwork.DiscoverAsync(_context);

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() =>
            _context.Clients.Elbv2.CreateTargetGroupAsync(new ElbApi.CreateTargetGroupRequest { Name = "bad_name", Protocol = "HTTP", Port = 80, VpcId = net.VpcId }));

        Assert.Equal("ValidationError", ex.ErrorCode);
        Assert.IsType<ElbApi.AmazonElasticLoadBalancingV2Exception>(ex);
    }

    [Fact]
    public async Task CreateTargetGroup_fails_with_DuplicateTargetGroupName_when_name_is_taken_with_other_settings()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var name = ContractContext.Unique("dup-tg");
        await _context.Clients.Elbv2.CreateTargetGroupAsync(new ElbApi.CreateTargetGroupRequest { Name = name, Protocol = "HTTP", Port = 80, VpcId = net.VpcId });

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() =>
            _context.Clients.Elbv2.CreateTargetGroupAsync(new ElbApi.CreateTargetGroupRequest { Name = name, Protocol = "HTTP", Port = 8080, VpcId = net.VpcId }));

        Assert.Equal("DuplicateTargetGroupName", ex.ErrorCode);
        Assert.IsType<ElbApi.DuplicateTargetGroupNameException>(ex);
    }

    [Fact]
    public async Task DescribeTargetHealth_fails_with_TargetGroupNotFound_when_arn_is_unknown()
    {
        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() =>
            _context.Clients.Elbv2.DescribeTargetHealthAsync(new ElbApi.DescribeTargetHealthRequest
            {
                TargetGroupArn = $"arn:aws:elasticloadbalancing:{_context.Server.Region}:123456789012:targetgroup/missing-tg/0123456789abcdef",
            }));

        Assert.Equal("TargetGroupNotFound", ex.ErrorCode);
        Assert.IsType<ElbApi.TargetGroupNotFoundException>(ex);
    }

    [Fact]
    public async Task DescribeLoadBalancers_fails_with_LoadBalancerNotFound_when_name_is_unknown()
    {
        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() =>
            _context.Clients.Elbv2.DescribeLoadBalancersAsync(new ElbApi.DescribeLoadBalancersRequest { Names = [ContractContext.Unique("missing-lb")] }));

        Assert.Equal("LoadBalancerNotFound", ex.ErrorCode);
        Assert.IsType<ElbApi.LoadBalancerNotFoundException>(ex);
    }

    [Fact]
    public async Task CreateRule_fails_with_PriorityInUse_when_priority_is_taken()
    {
        var elb = _context.Clients.Elbv2;
        var net = await LabNetwork.DiscoverAsync(_context);
        var lb = (await elb.CreateLoadBalancerAsync(new ElbApi.CreateLoadBalancerRequest { Name = ContractContext.Unique("prio-lb"), Subnets = [net.SubnetA, net.SubnetC] })).LoadBalancers![0];
        var listener = (await elb.CreateListenerAsync(new ElbApi.CreateListenerRequest
        {
            LoadBalancerArn = lb.LoadBalancerArn,
            Protocol = "HTTP",
            Port = 80,
            DefaultActions = [Fixed("default")],
        })).Listeners![0];
        await elb.CreateRuleAsync(new ElbApi.CreateRuleRequest { ListenerArn = listener.ListenerArn, Priority = 5, Conditions = [Path("/a/*")], Actions = [Fixed("a")] });

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() =>
            elb.CreateRuleAsync(new ElbApi.CreateRuleRequest { ListenerArn = listener.ListenerArn, Priority = 5, Conditions = [Path("/b/*")], Actions = [Fixed("b")] }));

        Assert.Equal("PriorityInUse", ex.ErrorCode);
        Assert.IsType<ElbApi.PriorityInUseException>(ex);
        await elb.DeleteLoadBalancerAsync(new ElbApi.DeleteLoadBalancerRequest { LoadBalancerArn = lb.LoadBalancerArn });
    }

    [Fact]
    public async Task DeleteTargetGroup_fails_with_ResourceInUse_when_a_listener_forwards_to_it()
    {
        var elb = _context.Clients.Elbv2;
        var net = await LabNetwork.DiscoverAsync(_context);
        var tg = (await elb.CreateTargetGroupAsync(new ElbApi.CreateTargetGroupRequest { Name = ContractContext.Unique("inuse-tg"), Protocol = "HTTP", Port = 80, VpcId = net.VpcId })).TargetGroups![0];
        var lb = (await elb.CreateLoadBalancerAsync(new ElbApi.CreateLoadBalancerRequest { Name = ContractContext.Unique("inuse-lb"), Subnets = [net.SubnetA, net.SubnetC] })).LoadBalancers![0];
        await elb.CreateListenerAsync(new ElbApi.CreateListenerRequest
        {
            LoadBalancerArn = lb.LoadBalancerArn,
            Protocol = "HTTP",
            Port = 80,
            DefaultActions = [new ElbApi.Action { Type = "forward", TargetGroupArn = tg.TargetGroupArn }],
        });

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => elb.DeleteTargetGroupAsync(new ElbApi.DeleteTargetGroupRequest { TargetGroupArn = tg.TargetGroupArn }));

        Assert.Equal("ResourceInUse", ex.ErrorCode);
        Assert.IsType<ElbApi.ResourceInUseException>(ex);
        await elb.DeleteLoadBalancerAsync(new ElbApi.DeleteLoadBalancerRequest { LoadBalancerArn = lb.LoadBalancerArn });
    }

    [Fact]
    public async Task UpdateAutoScalingGroup_fails_with_ValidationError_when_group_is_unknown()
    {
        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() =>
            _context.Clients.AutoScaling.UpdateAutoScalingGroupAsync(new AsgApi.UpdateAutoScalingGroupRequest { AutoScalingGroupName = ContractContext.Unique("missing-asg"), MinSize = 1 }));

        Assert.Equal("ValidationError", ex.ErrorCode);
        Assert.IsType<AsgApi.AmazonAutoScalingException>(ex);
    }

    [Fact]
    public async Task GetParameter_fails_with_ParameterNotFound_when_name_is_unknown()
    {
        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() =>
            _context.Clients.Ssm.GetParameterAsync(new SsmApi.GetParameterRequest { Name = "/lab-portal/" + ContractContext.Unique("missing") }));

        Assert.Equal("ParameterNotFound", ex.ErrorCode);
        Assert.IsType<SsmApi.ParameterNotFoundException>(ex);
    }

    private static ElbApi.Action Fixed(string body) =>
        new() { Type = "fixed-response", FixedResponseConfig = new ElbApi.FixedResponseActionConfig { StatusCode = "200", ContentType = "text/plain", MessageBody = body } };

    private static ElbApi.RuleCondition Path(string pattern) =>
        new() { Field = "path-pattern", PathPatternConfig = new ElbApi.PathPatternConditionConfig { Values = [pattern] } };
}
