using AsgApi = LabPortal.Aws.AutoScaling;
using Ec2Api = Amazon.EC2.Model;
using ElbApi = LabPortal.Aws.Elbv2;
using SsmApi = Amazon.SimpleSystemsManagement.Model;

namespace LabPortal.Tests.Aws.Contract;

/// <summary>
/// Seed lab 2 from the caller's side: a launch template, an Auto Scaling group of two behind a target
/// group, scaling, health check type ELB with a grace period, a fault injected through SSM, and a
/// forced delete. Written once; every lane derives from it.
/// </summary>
public abstract class Lab2ContractTests(IAwsTestServer server)
{
    private readonly ContractContext _context = new(server);

    [Fact]
    public async Task Lab2_sequence_scales_and_tears_down_when_run_end_to_end()
    {
        var ec2 = _context.Clients.Ec2;
        var elb = _context.Clients.Elbv2;
        var asg = _context.Clients.AutoScaling;
        var ssm = _context.Clients.Ssm;
        var net = await LabNetwork.DiscoverAsync(_context);
        var run = ContractContext.Unique("run");

        var sg = await ec2.CreateSecurityGroupAsync(new Ec2Api.CreateSecurityGroupRequest { GroupName = ContractContext.Unique("lab-asg-sg"), Description = "ASG web", VpcId = net.VpcId });

        // Launch template.
        var ltName = ContractContext.Unique("lab-web-lt");
        var lt = await ec2.CreateLaunchTemplateAsync(new Ec2Api.CreateLaunchTemplateRequest
        {
            LaunchTemplateName = ltName,
            VersionDescription = "v1",
            LaunchTemplateData = new Ec2Api.RequestLaunchTemplateData
            {
                ImageId = net.ImageId,
                InstanceType = "t3.micro",
                SecurityGroupIds = [sg.GroupId!],
                UserData = LabUserData.Encode("#!/bin/bash\ndnf install -y nginx\nsystemctl enable --now nginx\n"),
                IamInstanceProfile = ContractContext.SsmInstanceProfile(_context.Server) is { } profile ? new Ec2Api.LaunchTemplateIamInstanceProfileSpecificationRequest { Name = profile } : null,
            },
        });
        Assert.Equal(ltName, lt.LaunchTemplate!.LaunchTemplateName);
        var lts = await ec2.DescribeLaunchTemplatesAsync(new Ec2Api.DescribeLaunchTemplatesRequest { LaunchTemplateNames = [ltName] });
        Assert.Equal(lt.LaunchTemplate.LaunchTemplateId, Assert.Single(lts.LaunchTemplates!).LaunchTemplateId);
        var versions = await ec2.DescribeLaunchTemplateVersionsAsync(new Ec2Api.DescribeLaunchTemplateVersionsRequest { LaunchTemplateName = ltName, Versions = ["$Latest"] });
        Assert.Equal("t3.micro", Assert.Single(versions.LaunchTemplateVersions!).LaunchTemplateData!.InstanceType);

        var tg = Assert.Single((await elb.CreateTargetGroupAsync(new ElbApi.CreateTargetGroupRequest
        {
            Name = ContractContext.Unique("lab-asg-tg"),
            Protocol = "HTTP",
            Port = 80,
            VpcId = net.VpcId,
        })).TargetGroups!);

        // Auto Scaling group of two across the a and c zones.
        var groupName = ContractContext.Unique("lab-web-asg");
        await asg.CreateAutoScalingGroupAsync(new AsgApi.CreateAutoScalingGroupRequest
        {
            AutoScalingGroupName = groupName,
            LaunchTemplate = new AsgApi.LaunchTemplateSpecification { LaunchTemplateName = ltName, Version = "$Latest" },
            MinSize = 2,
            MaxSize = 4,
            DesiredCapacity = 2,
            VPCZoneIdentifier = $"{net.SubnetA},{net.SubnetC}",
            Tags = [new AsgApi.Tag { Key = "lab-portal:run", Value = run, PropagateAtLaunch = true }],
        });
        await asg.AttachLoadBalancerTargetGroupsAsync(new AsgApi.AttachLoadBalancerTargetGroupsRequest { AutoScalingGroupName = groupName, TargetGroupARNs = [tg.TargetGroupArn!] });
        var attached = await asg.DescribeLoadBalancerTargetGroupsAsync(new AsgApi.DescribeLoadBalancerTargetGroupsRequest { AutoScalingGroupName = groupName });
        Assert.Equal(tg.TargetGroupArn, Assert.Single(attached.LoadBalancerTargetGroups!).LoadBalancerTargetGroupARN);

        await asg.SetDesiredCapacityAsync(new AsgApi.SetDesiredCapacityRequest { AutoScalingGroupName = groupName, DesiredCapacity = 3 });
        var group = await ContractContext.EventuallyAsync(
            async () => Assert.Single((await asg.DescribeAutoScalingGroupsAsync(new AsgApi.DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [groupName] })).AutoScalingGroups!),
            g => g.Instances!.Count(i => i.LifecycleState == "InService") == 3,
            "three InService instances");
        Assert.Equal(3, group.DesiredCapacity);
        var activities = new List<AsgApi.Activity>();
        await foreach (var page in asg.Paginators.DescribeScalingActivities(new AsgApi.DescribeScalingActivitiesRequest { AutoScalingGroupName = groupName }).Responses)
        {
            activities.AddRange(page.Activities!);
        }

        Assert.All(activities, a => Assert.Equal(groupName, a.AutoScalingGroupName));

        await asg.UpdateAutoScalingGroupAsync(new AsgApi.UpdateAutoScalingGroupRequest { AutoScalingGroupName = groupName, HealthCheckType = "ELB", HealthCheckGracePeriod = 120 });
        group = Assert.Single((await asg.DescribeAutoScalingGroupsAsync(new AsgApi.DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [groupName] })).AutoScalingGroups!);
        Assert.Equal("ELB", group.HealthCheckType);
        Assert.Equal(120, group.HealthCheckGracePeriod);

        var instanceIds = group.Instances!.Select(i => i.InstanceId!).ToList();
        var details = await asg.DescribeAutoScalingInstancesAsync(new AsgApi.DescribeAutoScalingInstancesRequest { InstanceIds = instanceIds });
        Assert.All(details.AutoScalingInstances!, d => Assert.Equal(groupName, d.AutoScalingGroupName));

        // Fault drill through SSM: stop nginx on one instance.
        var command = await ssm.SendCommandAsync(new SsmApi.SendCommandRequest
        {
            InstanceIds = [instanceIds[0]],
            DocumentName = "AWS-RunShellScript",
            Parameters = new Dictionary<string, List<string>> { ["commands"] = ["sudo systemctl stop nginx"] },
        });
        var commandId = command.Command!.CommandId!;
        SsmApi.GetCommandInvocationResponse? invocation = null;
        await ContractContext.RetryWhileAsync(
            async () => invocation = await ssm.GetCommandInvocationAsync(new SsmApi.GetCommandInvocationRequest { CommandId = commandId, InstanceId = instanceIds[0] }),
            "InvocationDoesNotExist");
        Assert.Equal(commandId, invocation!.CommandId);

        await asg.SetInstanceHealthAsync(new AsgApi.SetInstanceHealthRequest { InstanceId = instanceIds[0], HealthStatus = "Unhealthy", ShouldRespectGracePeriod = false });
        var termination = await asg.TerminateInstanceInAutoScalingGroupAsync(new AsgApi.TerminateInstanceInAutoScalingGroupRequest { InstanceId = instanceIds[1], ShouldDecrementDesiredCapacity = true });
        Assert.Equal(groupName, termination.Activity!.AutoScalingGroupName);

        await asg.CreateOrUpdateTagsAsync(new AsgApi.CreateOrUpdateTagsRequest
        {
            Tags = [new AsgApi.Tag { ResourceId = groupName, ResourceType = "auto-scaling-group", Key = "lab-portal:learner", Value = "kim", PropagateAtLaunch = false }],
        });
        var tags = await asg.DescribeTagsAsync(new AsgApi.DescribeTagsRequest { Filters = [new AsgApi.Filter { Name = "auto-scaling-group", Values = [groupName] }] });
        Assert.Contains(tags.Tags!, t => t.Key == "lab-portal:learner" && t.Value == "kim");

        // Teardown: detach, force-delete the group, then the target group and the launch template.
        await asg.DetachLoadBalancerTargetGroupsAsync(new AsgApi.DetachLoadBalancerTargetGroupsRequest { AutoScalingGroupName = groupName, TargetGroupARNs = [tg.TargetGroupArn!] });
        await asg.DeleteAutoScalingGroupAsync(new AsgApi.DeleteAutoScalingGroupRequest { AutoScalingGroupName = groupName, ForceDelete = true });
        await ContractContext.EventuallyAsync(
            () => asg.DescribeAutoScalingGroupsAsync(new AsgApi.DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [groupName] }),
            r => r.AutoScalingGroups!.Count == 0,
            "the Auto Scaling group to be deleted");
        await ContractContext.RetryWhileAsync(() => elb.DeleteTargetGroupAsync(new ElbApi.DeleteTargetGroupRequest { TargetGroupArn = tg.TargetGroupArn }), "ResourceInUse");
        var deleted = await ec2.DeleteLaunchTemplateAsync(new Ec2Api.DeleteLaunchTemplateRequest { LaunchTemplateName = ltName });
        Assert.Equal(lt.LaunchTemplate.LaunchTemplateId, deleted.LaunchTemplate!.LaunchTemplateId);
    }

    [Fact]
    public async Task GetParameter_returns_latest_ami_when_reading_public_parameter()
    {
        var response = await _context.Clients.Ssm.GetParameterAsync(new SsmApi.GetParameterRequest
        {
            Name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        });

        Assert.StartsWith("ami-", response.Parameter!.Value, StringComparison.Ordinal);
    }
}
