namespace LabPortal.Tests.Sandbox.AutoScaling;

public sealed class AutoScalingOperationsTests : IAsyncLifetime
{
    private AutoScalingTestKit _kit = null!;

    public async Task InitializeAsync() => _kit = await AutoScalingTestKit.StartAsync();

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task AttachTrafficSources_registers_instances_and_only_DetachTrafficSources_removes_it()
    {
        var targetGroup = _kit.Targets!.AddTargetGroup("web-tg");
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a", "ap-northeast-2c");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 2, 2, 2);
        var instances = await _kit.WaitForInServiceAsync("web-asg", 2);

        (await _kit.AsgAsync("AttachTrafficSources", ("AutoScalingGroupName", "web-asg"), ("TrafficSources.member.1.Identifier", targetGroup), ("TrafficSources.member.1.Type", "elbv2"))).EnsureOk();
        (await _kit.AsgAsync("DetachLoadBalancerTargetGroups", ("AutoScalingGroupName", "web-asg"), ("TargetGroupARNs.member.1", targetGroup))).EnsureOk();
        var described = (await _kit.AsgAsync("DescribeTrafficSources", ("AutoScalingGroupName", "web-asg"))).EnsureOk();

        // DetachLoadBalancerTargetGroups cannot detach what AttachTrafficSources attached (aws-behaviour.md section 3).
        Assert.Equal(instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal), _kit.Targets.Registered(targetGroup));
        Assert.Equal(targetGroup, described.Value("Identifier"));
        Assert.Equal("elbv2", described.Value("Type"));

        (await _kit.AsgAsync("DetachTrafficSources", ("AutoScalingGroupName", "web-asg"), ("TrafficSources.member.1.Identifier", targetGroup))).EnsureOk();

        Assert.Empty(_kit.Targets.Registered(targetGroup));
        await TestSandbox.EventuallyAsync(
            async () => !(await _kit.AsgAsync("DescribeTrafficSources", ("AutoScalingGroupName", "web-asg"))).EnsureOk().Values("Identifier").Any(),
            "the traffic source to be removed");
    }

    [Fact]
    public async Task UpdateAutoScalingGroup_raises_desired_capacity_when_new_minimum_is_above_it()
    {
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a", "ap-northeast-2c");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 0, 3, 0);

        (await _kit.AsgAsync("UpdateAutoScalingGroup", ("AutoScalingGroupName", "web-asg"), ("MinSize", "2"), ("HealthCheckType", "ELB"), ("HealthCheckGracePeriod", "120"))).EnsureOk();
        await _kit.WaitForInServiceAsync("web-asg", 2);

        var group = (await _kit.AsgAsync("DescribeAutoScalingGroups", ("AutoScalingGroupNames.member.1", "web-asg"))).EnsureOk();
        Assert.Equal("2", group.Value("DesiredCapacity"));
        Assert.Equal("ELB", group.Value("HealthCheckType"));
        Assert.Equal("120", group.Value("HealthCheckGracePeriod"));
        Assert.Contains("a user request update of AutoScalingGroup constraints to min: 2, max: 3, desired: 2 changing the desired capacity from 0 to 2.", (await _kit.ActivitiesAsync("web-asg"))[0].Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controller_records_Failed_launch_activity_when_launch_template_is_gone()
    {
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 0, 2, 0);
        (await _kit.Client.Ec2Async("DeleteLaunchTemplate", ("LaunchTemplateId", template))).EnsureOk();

        (await _kit.AsgAsync("SetDesiredCapacity", ("AutoScalingGroupName", "web-asg"), ("DesiredCapacity", "1"))).EnsureOk();
        await TestSandbox.EventuallyAsync(async () => (await _kit.ActivitiesAsync("web-asg")).Any(a => a.StatusCode == "Failed"), "a failed launch");

        var failed = (await _kit.ActivitiesAsync("web-asg")).First(a => a.StatusCode == "Failed");
        Assert.StartsWith("Launching a new EC2 instance.  Status Reason: ", failed.Description, StringComparison.Ordinal);
        Assert.Contains(template, failed.Description, StringComparison.Ordinal);
        Assert.Empty((await _kit.InstancesAsync("web-asg"))!);
    }

    [Fact]
    public async Task Controller_keeps_scaling_when_an_attached_target_group_was_deleted()
    {
        var targetGroup = _kit.Targets!.AddTargetGroup("web-tg");
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 0, 3, 1, ("TargetGroupARNs.member.1", targetGroup));
        await _kit.WaitForInServiceAsync("web-asg", 1);

        _kit.Targets.RemoveTargetGroup(targetGroup);
        (await _kit.AsgAsync("SetDesiredCapacity", ("AutoScalingGroupName", "web-asg"), ("DesiredCapacity", "2"))).EnsureOk();

        await _kit.WaitForInServiceAsync("web-asg", 2);
    }
}
