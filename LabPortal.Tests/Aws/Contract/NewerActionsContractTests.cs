using AsgApi = LabPortal.Aws.AutoScaling;
using Ec2Api = Amazon.EC2.Model;
using ElbApi = LabPortal.Aws.Elbv2;
using SsmApi = Amazon.SimpleSystemsManagement.Model;

namespace LabPortal.Tests.Aws.Contract;

/// <summary>
/// Actions moto 5.2.1 does not implement (it answers 500 "has not been implemented"):
/// Auto Scaling Attach/Describe/DetachTrafficSources and SSM ListCommandInvocations. Only lanes whose
/// server implements them derive from this suite (the sandbox lane); the golden tests cover their wire form.
/// </summary>
public abstract class NewerActionsContractTests(IAwsTestServer server)
{
    private readonly ContractContext _context = new(server);

    [Fact]
    public async Task TrafficSources_attach_describe_detach_when_group_uses_a_target_group()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var ltName = ContractContext.Unique("ts-lt");
        await _context.Clients.Ec2.CreateLaunchTemplateAsync(new Ec2Api.CreateLaunchTemplateRequest
        {
            LaunchTemplateName = ltName,
            LaunchTemplateData = new Ec2Api.RequestLaunchTemplateData { ImageId = net.ImageId, InstanceType = "t3.micro" },
        });
        var tg = (await _context.Clients.Elbv2.CreateTargetGroupAsync(new ElbApi.CreateTargetGroupRequest { Name = ContractContext.Unique("ts-tg"), Protocol = "HTTP", Port = 80, VpcId = net.VpcId })).TargetGroups![0];
        var groupName = ContractContext.Unique("ts-asg");
        var asg = _context.Clients.AutoScaling;
        await asg.CreateAutoScalingGroupAsync(new AsgApi.CreateAutoScalingGroupRequest
        {
            AutoScalingGroupName = groupName,
            LaunchTemplate = new AsgApi.LaunchTemplateSpecification { LaunchTemplateName = ltName, Version = "$Latest" },
            MinSize = 1,
            MaxSize = 2,
            VPCZoneIdentifier = $"{net.SubnetA},{net.SubnetC}",
        });
        var source = new AsgApi.TrafficSourceIdentifier { Identifier = tg.TargetGroupArn, Type = "elbv2" };

        await asg.AttachTrafficSourcesAsync(new AsgApi.AttachTrafficSourcesRequest { AutoScalingGroupName = groupName, TrafficSources = [source] });
        var described = await asg.DescribeTrafficSourcesAsync(new AsgApi.DescribeTrafficSourcesRequest { AutoScalingGroupName = groupName });
        Assert.Equal(tg.TargetGroupArn, Assert.Single(described.TrafficSources!).Identifier);
        await asg.DetachTrafficSourcesAsync(new AsgApi.DetachTrafficSourcesRequest { AutoScalingGroupName = groupName, TrafficSources = [source] });

        await asg.DeleteAutoScalingGroupAsync(new AsgApi.DeleteAutoScalingGroupRequest { AutoScalingGroupName = groupName, ForceDelete = true });
    }

    [Fact]
    public async Task ListCommandInvocations_lists_the_target_when_a_command_was_sent()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var instance = (await _context.Clients.Ec2.RunInstancesAsync(new Ec2Api.RunInstancesRequest { ImageId = net.ImageId, InstanceType = "t3.micro", MinCount = 1, MaxCount = 1, SubnetId = net.SubnetA, IamInstanceProfile = ContractContext.SsmInstanceProfile(_context.Server) is { } profile ? new Ec2Api.IamInstanceProfileSpecification { Name = profile } : null })).Reservation.Instances![0];

        // As on AWS, Run Command reaches an instance only once it runs (its agent has registered).
        await ContractContext.EventuallyAsync(
            () => _context.Clients.Ec2.DescribeInstancesAsync(new Ec2Api.DescribeInstancesRequest { InstanceIds = [instance.InstanceId!] }),
            r => r.Reservations!.SelectMany(x => x.Instances!).All(i => i.State!.Name == "running"),
            $"instance {instance.InstanceId} to be running");
        var command = await _context.Clients.Ssm.SendCommandAsync(new SsmApi.SendCommandRequest
        {
            InstanceIds = [instance.InstanceId!],
            DocumentName = "AWS-RunShellScript",
            Parameters = new Dictionary<string, List<string>> { ["commands"] = ["echo hello"] },
        });

        var invocations = await _context.Clients.Ssm.ListCommandInvocationsAsync(new SsmApi.ListCommandInvocationsRequest { CommandId = command.Command!.CommandId, Details = true });

        Assert.Equal(instance.InstanceId, Assert.Single(invocations.CommandInvocations!).InstanceId);
        await _context.Clients.Ec2.TerminateInstancesAsync(new Ec2Api.TerminateInstancesRequest { InstanceIds = [instance.InstanceId!] });
    }
}
